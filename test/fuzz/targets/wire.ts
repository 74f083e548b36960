// The renderer ↔ main WebSocket protocol (src/shared/wire.ts): JSON text messages both ways and
// the binary media frames. The first byte picks which decoder gets the rest.
import type { FuzzTarget } from '../engine';
import { decodeClientMessage, decodeMediaFrame, decodeServerMessage } from '../../../src/shared/wire';

const decoder = new TextDecoder();

export const target: FuzzTarget = {
  name: 'wire',
  sources: ['src/shared/wire.ts', 'src/shared/'],
  dictionary: [
    '{', '}', '[', ']', '"', ':', ',', '"type"', '"call"', '"hangup"', '"answer"', '"settings"', '"state"', '"id"', '"to"', 'null', 'true',
    'false', '0', '-1', '1e400', '"__proto__"', '"constructor"', '\\u0000', '\x00', '\x01', '\x02', '\xff',
  ],
  maxLength: 4096,
  run(input) {
    if (input.length === 0) return;
    const rest = input.subarray(1);
    switch (input[0] % 3) {
      case 0:
        decodeClientMessage(decoder.decode(rest));
        break;
      case 1:
        decodeServerMessage(decoder.decode(rest));
        break;
      default:
        decodeMediaFrame(rest);
    }
  },
};
