import { X255, EC25, EC38 } from './ecdh';
import { DH2K, DH3K } from './modp';
import type { KeyAgreement } from './types';

export type { KeyAgreement, KeyPair } from './types';

export const KEY_AGREEMENTS: Readonly<Record<KeyAgreement['name'], KeyAgreement>> = {
  X255,
  EC25,
  EC38,
  DH3k: DH3K,
  DH2k: DH2K,
};

export function keyAgreementByName(name: string): KeyAgreement | undefined {
  return Object.prototype.hasOwnProperty.call(KEY_AGREEMENTS, name) ? KEY_AGREEMENTS[name as KeyAgreement['name']] : undefined;
}
