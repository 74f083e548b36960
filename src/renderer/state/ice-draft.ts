// The ICE part of the Settings form: its working copy, field-by-field checks with the rules
// AppCore applies (src/main/store/settings.ts: host[:port], at most 8 of each, a TURN user name),
// and the patch `updateSettings` takes. TURN passwords never come back from AppCore: an empty
// password field keeps the stored one, which AppCore finds by server and user name, so a TURN
// server whose server or user changed needs its password typed again.
import type { DeepPartial, PublicSettings, Settings } from '../../shared/api';
import { isIpAddress } from './validate-network';

export interface TurnDraft {
  server: string;
  username: string;
  /** As typed; empty keeps the stored one (when there is one for this server and user). */
  password: string;
  /** The server and user a password is stored for, as AppCore sent them; undefined for a new row. */
  stored?: { server: string; username: string; hasPassword: boolean };
}

export interface IceDraft {
  enabled: boolean;
  /** Comma- or space-separated. */
  stunServers: string;
  turnServers: TurnDraft[];
}

export interface TurnErrors {
  server?: string;
  username?: string;
  password?: string;
}

export interface IceErrors {
  stunServers?: string;
  /** By row. */
  turnServers?: Record<number, TurnErrors>;
}

export const MAX_ICE_SERVERS = 8;
const MAX_TEXT = 256;
const MAX_PASSWORD = 1024;

export function iceDraftOf(s: PublicSettings): IceDraft {
  return {
    enabled: s.ice.enabled,
    stunServers: s.ice.stunServers.join(', '),
    turnServers: s.ice.turnServers.map((t) => ({ server: t.server, username: t.username, password: '', stored: { server: t.server, username: t.username, hasPassword: t.hasPassword } })),
  };
}

export function stunServersOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

/** `host[:port]`: a DNS name, an IPv4 address or a bracketed IPv6 one; port 1-65535 (RFC 8489 §18.1: 3478 when left out). */
export function isServerAddress(text: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!m) return false;
  // Brackets hold an IPv6 address only (RFC 3986 §3.2.2), as AppCore reads them.
  if (m[1] !== undefined && !(m[1].includes(':') && isIpAddress(m[1]))) return false;
  if (m[2] !== undefined && (m[2].length > 253 || m[2].startsWith('.') || m[2].startsWith('-') || m[2].includes('..'))) return false;
  return m[3] === undefined || (Number(m[3]) >= 1 && Number(m[3]) <= 65535);
}

const SERVER_WORDS = 'write it as host or host:port, like turn.example.org:3478 or [2001:db8::1]:3478';

function turnErrors(t: TurnDraft): TurnErrors {
  const e: TurnErrors = {};
  const server = t.server.trim();
  if (server === '') e.server = 'Enter the TURN server.';
  else if (server.length > MAX_TEXT || !isServerAddress(server)) e.server = `This is not a server address: ${SERVER_WORDS}.`;
  const username = t.username.trim();
  if (username === '') e.username = 'Enter the user name the TURN server gave you.';
  else if (username.length > MAX_TEXT) e.username = `The user name can be at most ${MAX_TEXT} characters.`;
  const keeps = t.stored !== undefined && t.stored.hasPassword && t.stored.server === server && t.stored.username === username;
  if (t.password.length > MAX_PASSWORD) e.password = `The password can be at most ${MAX_PASSWORD} characters.`;
  else if (t.password === '' && !keeps) e.password = t.stored?.hasPassword ? 'The server or user changed: enter the password again.' : 'Enter the password.';
  return e;
}

export function validateIce(d: IceDraft): IceErrors {
  const errors: IceErrors = {};
  // Off: the servers are neither shown nor sent, so they cannot be wrong.
  if (!d.enabled) return errors;
  const stun = stunServersOf(d.stunServers);
  if (stun.length > MAX_ICE_SERVERS) errors.stunServers = `List at most ${MAX_ICE_SERVERS} STUN servers.`;
  else {
    const bad = stun.find((s) => s.length > MAX_TEXT || !isServerAddress(s));
    if (bad !== undefined) errors.stunServers = `"${bad.slice(0, 60)}" is not a server address: write stun.example.org, stun.example.org:3478 or [2001:db8::1]:3478.`;
  }
  const rows: Record<number, TurnErrors> = {};
  d.turnServers.forEach((t, i) => {
    const e = turnErrors(t);
    if (Object.keys(e).length > 0) rows[i] = e;
  });
  if (Object.keys(rows).length > 0) errors.turnServers = rows;
  return errors;
}

export function iceHasErrors(errors: IceErrors): boolean {
  return errors.stunServers !== undefined || errors.turnServers !== undefined;
}

/** The settings' `ice` as the draft says. Call only when validateIce found nothing. */
export function icePatch(d: IceDraft): DeepPartial<Settings>['ice'] {
  // Off keeps the stored servers for the day it is turned on again.
  if (!d.enabled) return { enabled: false };
  return {
    enabled: d.enabled,
    stunServers: stunServersOf(d.stunServers),
    turnServers: d.turnServers.map((t) => ({ server: t.server.trim(), username: t.username.trim(), ...(t.password !== '' ? { password: t.password } : {}) })),
  };
}

/** Maps AppCore's field names (`ice.stunServers.2`, `ice.turnServers.0.username`) onto the form's errors. */
export function iceErrorsOf(settingsField: string | undefined, message: string): IceErrors | null {
  if (settingsField === undefined) return null;
  if (/^ice\.stunServers(\.\d+)?$/.test(settingsField)) return { stunServers: message };
  const turn = /^ice\.turnServers\.(\d+)(?:\.(server|username|password))?$/.exec(settingsField);
  if (turn) return { turnServers: { [Number(turn[1])]: { [turn[2] ?? 'server']: message } } };
  // Others (ice.enabled, too many TURN servers) the form cannot produce; the status line says them.
  return null;
}
