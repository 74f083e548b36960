// Fixtures shared by the media worker's tests (not loaded by the worker itself).
import type { StreamStart } from '../worker-protocol';

export interface TestMasterKey {
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
}

/**
 * A VP8 video stream on 127.0.0.1 keyed by SDES (RFC 4568), with frames to and from the front
 * end, as the app's video stream has them: NACK and PLI on.
 */
export function sdesVideoStart(peerPort: number, local: TestMasterKey, remote: TestMasterKey): StreamStart {
  return {
    stream: 'video',
    remote: { address: '127.0.0.1', rtpPort: peerPort, rtcpAddress: '127.0.0.1', rtcpPort: peerPort },
    rtcpMux: true,
    security: { mode: 'sdes', keys: { suite: 'AES_CM_128_HMAC_SHA1_80', local, remote } },
    codec: { name: 'VP8', payloadType: 96, clockRate: 90000 },
    direction: 'sendrecv',
    nack: true,
    pli: true,
    source: { kind: 'frames' },
    sink: { kind: 'frames' },
  };
}
