import { ecdhKeyAgreements } from './ecdh';
import { DH2K, DH3K } from './modp';
import type { ZrtpPrimitives } from '../primitives';
import type { KeyAgreement } from './types';

export type { KeyAgreement, KeyPair } from './types';

type KeyAgreements = Readonly<Record<KeyAgreement['name'], KeyAgreement>>;

const byPrimitives = new WeakMap<ZrtpPrimitives, KeyAgreements>();

/** The DH-mode key agreements (RFC 6189 §5.1.5) on the primitives `p`. */
export function keyAgreements(p: ZrtpPrimitives): KeyAgreements {
  let all = byPrimitives.get(p);
  if (!all) {
    all = { ...ecdhKeyAgreements(p), DH3k: DH3K, DH2k: DH2K };
    byPrimitives.set(p, all);
  }
  return all;
}

export function keyAgreementByName(name: string, p: ZrtpPrimitives): KeyAgreement | undefined {
  const all = keyAgreements(p);
  return Object.prototype.hasOwnProperty.call(all, name) ? all[name as KeyAgreement['name']] : undefined;
}
