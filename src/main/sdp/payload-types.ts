// RFC 3264 §8.3.2: within a session a dynamic payload type keeps the codec it was agreed for,
// on our side and on the peer's. A re-offer therefore numbers each codec as the session already
// does, and a codec new to the m-line gets a dynamic number neither side used for anything else
// (measured: after answering 101 = telephone-event/8000, an add-video re-offer that used our
// default 100, which the peer had declared as telephone-event/16000).
import type { CodecSpec } from './codecs';
import { payloadFormats } from './media-view';
import type { PayloadFormat } from './media-view';
import type { MediaDescription } from './types';

const FIRST_DYNAMIC = 96;
const LAST_DYNAMIC = 127;

function sameEncoding(f: PayloadFormat, c: CodecSpec): boolean {
  return f.encodingName.toLowerCase() === c.encodingName.toLowerCase() && f.clockRate === c.clockRate && (f.channels ?? 1) === (c.channels ?? 1);
}

/**
 * `codecs` numbered for a re-offer of an m-line whose session so far is `ours` (what we sent)
 * and `theirs` (what the peer sent). Static numbers stay. A codec either side already numbered
 * keeps that number (ours first); any other takes its default when that is free, else the lowest
 * free dynamic number. Codecs left without a free number (33 dynamic ones taken) are dropped.
 */
export function keepPayloadTypes(codecs: readonly CodecSpec[], ours: MediaDescription | undefined, theirs: MediaDescription | undefined): CodecSpec[] {
  const agreed = [...(ours ? payloadFormats(ours) : []), ...(theirs ? payloadFormats(theirs) : [])];
  const taken = new Set(agreed.map((f) => f.payloadType));
  const numbered = new Map<CodecSpec, number>();
  const assigned = new Set<number>();
  const fresh: CodecSpec[] = [];
  for (const c of codecs) {
    if (c.payloadType < FIRST_DYNAMIC) {
      numbered.set(c, c.payloadType);
      continue;
    }
    const known = agreed.find((f) => f.payloadType >= FIRST_DYNAMIC && sameEncoding(f, c) && !assigned.has(f.payloadType));
    if (!known) fresh.push(c);
    else {
      assigned.add(known.payloadType);
      numbered.set(c, known.payloadType);
    }
  }
  for (const c of fresh) {
    let pt: number | undefined = taken.has(c.payloadType) || assigned.has(c.payloadType) ? undefined : c.payloadType;
    for (let n = FIRST_DYNAMIC; pt === undefined && n <= LAST_DYNAMIC; n++) if (!taken.has(n) && !assigned.has(n)) pt = n;
    if (pt === undefined) continue;
    assigned.add(pt);
    numbered.set(c, pt);
  }
  // The caller's order is its preference: keep it.
  return codecs.flatMap((c) => {
    const pt = numbered.get(c);
    return pt === undefined ? [] : [{ ...c, payloadType: pt }];
  });
}
