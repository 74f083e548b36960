// Signing in to the account's server, in a person's words ("Signed in as alice@example.org",
// "Wrong user name or password", "Can't reach example.org"), with the technical detail (the SIP
// status, who sent it, the raw reason) kept for a "Details" disclosure. The main process reports
// registration as RegistrationInfo: a state, sometimes a SIP status, and a reason that is either
// "REGISTER failed: <status> <phrase>", "no answer from <host>", a certificate sentence, or a
// socket or DNS error.
import type { RegistrationInfo } from '../../shared/api';

export interface RegistrationWords {
  text: string;
  /** For "Details": empty when there is nothing more to say. */
  detail: string;
}

/** "sip:alice@example.org;transport=tls" → "alice@example.org". */
export function accountName(address: string): string {
  return address.replace(/^<|>$/g, '').replace(/^sips?:/i, '').split(/[;?]/)[0];
}

/** The server's host from the address or from "no answer from host:port". */
function serverOf(r: RegistrationInfo): string {
  const named = /no answer from \[?([^\]\s:]+)/i.exec(r.reason ?? '')?.[1];
  if (named) return named;
  const host = accountName(r.address).split('@').pop() ?? '';
  return host.replace(/:\d+$/, '') || 'the server';
}

/** The SIP status: reported as such, or inside "REGISTER failed: 403 Forbidden". */
function statusOf(r: RegistrationInfo): { status: number; phrase: string } | null {
  if (r.sipStatus) return { status: r.sipStatus, phrase: /\b\d{3}\s+(.+)$/.exec(r.reason ?? '')?.[1] ?? (r.reason && !/\d{3}/.test(r.reason) ? r.reason : '') };
  const m = /\b([3-6]\d\d)\s+([^()]*)$/.exec(r.reason ?? '');
  return m ? { status: Number(m[1]), phrase: m[2].trim() } : null;
}

function retrying(r: RegistrationInfo): string {
  return r.retryInSeconds !== undefined ? ` Trying again in ${r.retryInSeconds} s.` : '';
}

function failure(r: RegistrationInfo): RegistrationWords {
  const server = serverOf(r);
  const reason = r.reason ?? '';
  const sip = statusOf(r);
  const statusText = sip ? `${sip.status}${sip.phrase ? ` ${sip.phrase}` : ''}` : '';
  const refused = sip ? `The server refused the sign-in (${statusText}).` : '';
  const raw = reason && !refused ? `Reason: ${reason}.` : '';
  const detail = [refused, raw, `Account: ${accountName(r.address)}.`].filter(Boolean).join(' ');
  const say = (text: string) => ({ text: `${text}${retrying(r)}`, detail });
  if (sip) {
    if (sip.status === 401 || sip.status === 407) return say('Wrong user name or password.');
    if (sip.status === 403) return say(`${server} refused to sign you in. Check the account details from your provider.`);
    if (sip.status === 404) return say(`${server} does not know the account ${accountName(r.address)}.`);
    if (sip.status === 408) return say(`Can't reach ${server}.`);
    if (sip.status >= 500) return say(`${server} has a problem and cannot sign you in right now.`);
    return say(`Couldn't sign in to ${server}.`);
  }
  if (/no answer from/i.test(reason) || /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|timed? ?out/i.test(reason)) return say(`Can't reach ${server}.`);
  if (/ENOTFOUND|EAI_AGAIN|resolve|DNS/i.test(reason)) return say(`Can't find ${server}: check the server name.`);
  if (/certificate/i.test(reason)) return say(`Can't sign in to ${server} securely: its certificate is not trusted.`);
  return say(`Couldn't sign in to ${server}.`);
}

export function registrationWords(r: RegistrationInfo): RegistrationWords {
  const me = accountName(r.address);
  switch (r.state) {
    case 'registered':
      return { text: `Signed in as ${me}`, detail: r.publicAddress ? `Registered; the server reaches you at ${r.publicAddress}.` : '' };
    case 'registering':
      if (!r.reason) return { text: `Signing in as ${me}…`, detail: '' };
      return { text: `Can't reach ${serverOf(r)} yet.${retrying(r)}`, detail: `Reason: ${r.reason}. Account: ${me}.` };
    case 'unregistered':
      return { text: r.address ? 'Not signed in' : 'Direct IP calls only (no server)', detail: '' };
    case 'failed':
      return failure(r);
  }
}
