// What a transfer carries (RFC 3515 REFER, RFC 3891 Replaces): the Refer-To target with an
// embedded Replaces header, the Replaces value that names a dialog, and the message/sipfrag
// status line a NOTIFY reports progress with (RFC 3515 §2.4.5, RFC 3420).
import { parseNameAddr } from './address';
import { SipParseError } from './errors';
import { parseParams } from './params';
import { serializeUri } from './uri';

/** RFC 3891 §6.1: `Replaces: callid;to-tag=..;from-tag=..[;early-only]`. */
export interface Replaces {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

/** RFC 3891 §6.1 grammar; to-tag and from-tag are both required. */
export function parseReplaces(value: string): Replaces | SipParseError {
  const s = value.trim();
  const semi = s.indexOf(';');
  const callId = (semi < 0 ? s : s.slice(0, semi)).trim();
  if (!callId || !/^[\x21-\x7e]+$/.test(callId)) return new SipParseError('bad-header', 'Replaces without a Call-ID');
  const params = parseParams(semi < 0 ? '' : s.slice(semi));
  if (!params) return new SipParseError('bad-header', 'malformed Replaces parameters');
  const toTag = params.get('to-tag');
  const fromTag = params.get('from-tag');
  if (!toTag || !fromTag) return new SipParseError('bad-header', 'Replaces needs to-tag and from-tag');
  return { callId, toTag, fromTag, earlyOnly: params.has('early-only') };
}

export function serializeReplaces(r: Replaces): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}

/** What a REFER asks for: call `target`, carrying `replaces` in the INVITE when given (§2.4.2). */
export interface ReferTarget {
  target: string;
  replaces?: Replaces;
}

/** RFC 3515 §2.1: Refer-To is a name-addr; its URI's `Replaces` header (RFC 3891 §5) is taken out. */
export function parseReferTo(value: string): ReferTarget | SipParseError {
  const a = parseNameAddr(value);
  if (a instanceof SipParseError) return a;
  if (a.wildcard || a.uri.scheme === 'tel') return new SipParseError('bad-header', 'Refer-To must name a SIP URI');
  let replaces: Replaces | undefined;
  for (const [name, v] of a.uri.headers) {
    if (name.toLowerCase() !== 'replaces') continue;
    const r = parseReplaces(v);
    if (r instanceof SipParseError) return r;
    replaces = r;
  }
  return { target: serializeUri({ ...a.uri, headers: new Map() }), ...(replaces ? { replaces } : {}) };
}

/** A Refer-To value for `target` (a SIP URI), with the dialog to replace escaped into its headers. */
export function formatReferTo(target: string, replaces?: Replaces): string {
  if (!replaces) return `<${target}>`;
  return `<${target}?Replaces=${encodeURIComponent(serializeReplaces(replaces))}>`;
}

/** RFC 3420: a sipfrag body's first line, `SIP/2.0 200 OK`; undefined when it has none. */
export function sipfragStatus(body: string): { status: number; reason: string } | undefined {
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: ([^\r\n]*))?/.exec(body.trimStart());
  return m ? { status: Number(m[1]), reason: m[2] ?? '' } : undefined;
}
