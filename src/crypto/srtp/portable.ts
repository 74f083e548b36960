// The default primitives: pure TypeScript, run anywhere (worker, tests, browser).
import { PortableAesCm } from './aes-cm';
import { PortableAesGcm } from './aes-gcm';
import { PortableHmacSha1 } from './hmac-sha1';
import type { SrtpPrimitives } from './primitives';

export const portablePrimitives: SrtpPrimitives = {
  name: 'portable',
  aesCm: (key, salt) => new PortableAesCm(key, salt),
  hmacSha1: (key) => new PortableHmacSha1(key),
  aesGcm: (key) => new PortableAesGcm(key),
};
