// Building responses from requests (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq are
// copied; the To tag is added by the UAS for everything but 100.
import { SipHeaders } from './headers';
import { REASONS } from './message';
import type { SipRequest, SipResponse } from './message';

export function createResponse(req: SipRequest, status: number, options: { reason?: string; toTag?: string; headers?: [string, string][]; body?: string } = {}): SipResponse {
  const h = new SipHeaders();
  for (const via of req.headers.getAll('via')) h.add('Via', via);
  h.add('From', req.headers.get('from') ?? '');
  let to = req.headers.get('to') ?? '';
  if (options.toTag && status > 100 && !/;\s*tag=/i.test(to)) to += `;tag=${options.toTag}`;
  h.add('To', to);
  h.add('Call-ID', req.headers.get('call-id') ?? '');
  h.add('CSeq', req.headers.get('cseq') ?? '');
  for (const [n, v] of options.headers ?? []) h.add(n, v);
  return { type: 'response', status, reason: options.reason ?? REASONS[status] ?? 'Unknown', headers: h, body: options.body ?? '' };
}
