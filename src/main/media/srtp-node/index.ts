// node:crypto primitives for SRTP, injected by the media worker into src/crypto/srtp
// (`new SrtpSession({ ..., primitives: nodeSrtpPrimitives })`). Measured in bench/srtp.mjs.
import type { SrtpPrimitives } from '../../../crypto/srtp';
import { NodeAesCm } from './aes-cm-node';
import { NodeAesGcm } from './aes-gcm-node';
import { NodeHmacSha1 } from './hmac-sha1-node';

export const nodeSrtpPrimitives: SrtpPrimitives = {
  name: 'node',
  aesCm: (key, salt) => new NodeAesCm(key, salt),
  hmacSha1: (key) => new NodeHmacSha1(key),
  aesGcm: (key) => new NodeAesGcm(key),
};

export { NodeAesCm, NodeAesGcm, NodeHmacSha1 };
