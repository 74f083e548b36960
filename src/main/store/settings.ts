// Settings: defaults, validation with a message naming the field, and persistence in the data
// directory (settings.json, 0600, written atomically). The SIP password is stored here (0600), or
// in the system keychain where the desktop app has a real one (sip-password.ts); it is never
// handed back to a front end.

import { isIP } from 'node:net';
import { join } from 'node:path';
import type { DeepPartial, KeyAgreement, PublicSettings, Settings } from '../../shared/api';
import { SipParseError } from '../sip/errors';
import { parseServerAddress } from '../net/ice-servers';
import { isDnsServer } from '../sip/resolve-dns';
import { parseProxy } from '../sip/routing';
import { readJsonOrMoveAside, writeFileAtomic } from './atomic-file';
import type { SecretLocation, SecretStore } from './secret-store';
import { filePasswordStores, settlePassword, type PasswordStores } from './sip-password';

export const SETTINGS_FILE = 'settings.json';

/** The default key-agreement list before post-quantum ZRTP: a file holding exactly this never chose it (issue 25). */
const CLASSIC_KEY_AGREEMENT_DEFAULT: readonly KeyAgreement[] = ['X255', 'EC25', 'DH3k', 'EC38'];

export function defaultSettings(): Settings {
  return {
    account: {
      displayName: '',
      address: '',
      username: '',
      password: '',
      server: '',
      transport: 'udp',
      directIpOnly: true,
      outboundProxy: '',
    },
    mediaSecurity: 'zrtp-required',
    zrtp: { keyAgreement: ['X1M1', ...CLASSIC_KEY_AGREEMENT_DEFAULT], sasType: 'B32', cacheExpirySeconds: 0 },
    audioCodecs: ['opus', 'pcmu', 'pcma'],
    videoCodecs: ['vp8'],
    devices: { microphoneId: 'default', speakerId: 'default', cameraId: 'default' },
    sipPort: 5060,
    sipTlsPort: 5061,
    sipHost: '',
    tlsCertFile: '',
    tlsKeyFile: '',
    callWaiting: false,
    autoAnswer: false,
    doNotDisturb: false,
    dnsServers: [],
    keepAliveSeconds: 25,
    mediaTimeoutSeconds: 30,
    ice: { enabled: true, stunServers: [], turnServers: [] },
  };
}

export class SettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SettingsError';
  }
}

const KEY_AGREEMENTS: readonly KeyAgreement[] = ['X1M1', 'X255', 'EC25', 'EC38', 'DH3k', 'DH2k'];
const SIP_URI = /^sips?:[^\s@]+@[^\s@]+$/i;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

function isPort(n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535;
}

/** Throws SettingsError naming the first bad field. */
export function validateSettings(s: Settings): void {
  const a = s.account;
  const str = (field: string, v: unknown, max = 256) => {
    if (typeof v !== 'string') throw new SettingsError(field, 'must be text');
    if (v.length > max) throw new SettingsError(field, `must be at most ${max} characters`);
  };
  str('account.displayName', a.displayName, 128);
  str('account.address', a.address);
  str('account.username', a.username);
  str('account.server', a.server);
  if (a.password !== undefined) str('account.password', a.password, 1024);
  if (typeof a.directIpOnly !== 'boolean') throw new SettingsError('account.directIpOnly', 'must be true or false');
  if (!['udp', 'tcp', 'tls'].includes(a.transport)) throw new SettingsError('account.transport', "must be 'udp', 'tcp' or 'tls'");
  if (!a.directIpOnly) {
    if (!SIP_URI.test(a.address)) throw new SettingsError('account.address', 'must be a SIP address like sip:alice@example.org');
    if (a.server !== '' && !HOST_PORT.test(a.server)) throw new SettingsError('account.server', 'must be host or host:port');
  } else if (a.address !== '' && !SIP_URI.test(a.address)) {
    throw new SettingsError('account.address', 'must be a SIP address like sip:alice@example.org');
  }
  if (a.trustedCaPem !== undefined && (typeof a.trustedCaPem !== 'string' || (a.trustedCaPem !== '' && !a.trustedCaPem.includes('BEGIN CERTIFICATE')))) {
    throw new SettingsError('account.trustedCaPem', 'must be a PEM certificate');
  }
  if (!['zrtp-required', 'allow-sdes', 'allow-unencrypted'].includes(s.mediaSecurity)) {
    throw new SettingsError('mediaSecurity', "must be 'zrtp-required', 'allow-sdes' or 'allow-unencrypted'");
  }
  if (!Array.isArray(s.zrtp.keyAgreement) || s.zrtp.keyAgreement.length === 0 || s.zrtp.keyAgreement.some((k) => !KEY_AGREEMENTS.includes(k))) {
    throw new SettingsError('zrtp.keyAgreement', `must list one or more of ${KEY_AGREEMENTS.join(', ')}`);
  }
  if (s.zrtp.sasType !== 'B32' && s.zrtp.sasType !== 'B256') throw new SettingsError('zrtp.sasType', "must be 'B32' or 'B256'");
  if (!Number.isInteger(s.zrtp.cacheExpirySeconds) || s.zrtp.cacheExpirySeconds < 0) {
    throw new SettingsError('zrtp.cacheExpirySeconds', 'must be a whole number of seconds, 0 for never');
  }
  if (!Array.isArray(s.audioCodecs) || s.audioCodecs.length === 0 || s.audioCodecs.some((c) => !['opus', 'pcmu', 'pcma'].includes(c))) {
    throw new SettingsError('audioCodecs', 'must list one or more of opus, pcmu, pcma');
  }
  if (!Array.isArray(s.videoCodecs) || s.videoCodecs.some((c) => c !== 'vp8')) throw new SettingsError('videoCodecs', 'may only list vp8');
  for (const k of ['microphoneId', 'speakerId', 'cameraId'] as const) str(`devices.${k}`, s.devices[k]);
  if (!isPort(s.sipPort)) throw new SettingsError('sipPort', 'must be a port number 0-65535');
  if (s.sipTlsPort !== undefined && !isPort(s.sipTlsPort)) throw new SettingsError('sipTlsPort', 'must be a port number 0-65535');
  if (s.sipHost !== undefined && s.sipHost !== '' && (typeof s.sipHost !== 'string' || isIP(s.sipHost) === 0)) {
    throw new SettingsError('sipHost', 'must be an IP address of this computer, or empty for every interface');
  }
  if (s.tlsCertFile !== undefined) str('tlsCertFile', s.tlsCertFile, 4096);
  if (s.tlsKeyFile !== undefined) str('tlsKeyFile', s.tlsKeyFile, 4096);
  if (typeof s.callWaiting !== 'boolean') throw new SettingsError('callWaiting', 'must be true or false');
  if (typeof s.autoAnswer !== 'boolean') throw new SettingsError('autoAnswer', 'must be true or false');
  if (typeof s.doNotDisturb !== 'boolean') throw new SettingsError('doNotDisturb', 'must be true or false');
  if (a.outboundProxy !== undefined) {
    str('account.outboundProxy', a.outboundProxy);
    if (a.outboundProxy !== '' && parseProxy(a.outboundProxy) instanceof SipParseError) throw new SettingsError('account.outboundProxy', 'must be host[:port][;transport=udp|tcp|tls]');
  }
  if (s.dnsServers !== undefined && (!Array.isArray(s.dnsServers) || s.dnsServers.length > 8 || !s.dnsServers.every((d) => typeof d === 'string' && isDnsServer(d)))) {
    throw new SettingsError('dnsServers', 'must list up to 8 addresses like 192.0.2.53 or [2001:db8::53]:5353');
  }
  if (s.keepAliveSeconds !== undefined && (!Number.isInteger(s.keepAliveSeconds) || s.keepAliveSeconds < 0 || s.keepAliveSeconds > 3600)) {
    throw new SettingsError('keepAliveSeconds', 'must be a whole number of seconds from 0 (off) to 3600');
  }
  if (!Number.isInteger(s.mediaTimeoutSeconds) || s.mediaTimeoutSeconds < 1 || s.mediaTimeoutSeconds > 3600) {
    throw new SettingsError('mediaTimeoutSeconds', 'must be a whole number of seconds from 1 to 3600');
  }
  validateIce(s.ice, str);
}

/** At most this many STUN and this many TURN servers: each costs a gathering round per stream. */
export const MAX_ICE_SERVERS = 8;

function validateIce(ice: Settings['ice'], str: (field: string, v: unknown, max?: number) => void): void {
  if (!isPlainObject(ice)) throw new SettingsError('ice', 'must be an object');
  if (typeof ice.enabled !== 'boolean') throw new SettingsError('ice.enabled', 'must be true or false');
  const hostPort = (field: string, v: unknown) => {
    str(field, v);
    if (parseServerAddress(v as string) === undefined) throw new SettingsError(field, 'must be host or host:port, an IPv6 address in brackets');
  };
  if (!Array.isArray(ice.stunServers) || ice.stunServers.length > MAX_ICE_SERVERS) throw new SettingsError('ice.stunServers', `must list up to ${MAX_ICE_SERVERS} servers`);
  ice.stunServers.forEach((server, i) => hostPort(`ice.stunServers.${i}`, server));
  if (!Array.isArray(ice.turnServers) || ice.turnServers.length > MAX_ICE_SERVERS) throw new SettingsError('ice.turnServers', `must list up to ${MAX_ICE_SERVERS} servers`);
  ice.turnServers.forEach((t, i) => {
    if (!isPlainObject(t)) throw new SettingsError(`ice.turnServers.${i}`, 'must be a server with a user name and password');
    hostPort(`ice.turnServers.${i}.server`, t.server);
    str(`ice.turnServers.${i}.username`, t.username);
    // RFC 8656 §9.2: long-term credentials; a TURN server without a user name refuses every request.
    if (t.username === '') throw new SettingsError(`ice.turnServers.${i}.username`, 'must not be empty');
    if (t.password !== undefined) str(`ice.turnServers.${i}.password`, t.password, 1024);
    if (t.transport !== undefined && t.transport !== 'udp' && t.transport !== 'tcp') throw new SettingsError(`ice.turnServers.${i}.transport`, "must be 'udp' or 'tcp'");
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges a patch into settings; unknown fields are refused by name. */
export function mergeSettings(base: Settings, patch: DeepPartial<Settings>, path = ''): Settings {
  const out: Record<string, unknown> = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in out)) {
      if (!(path === 'account' && key === 'trustedCaPem')) throw new SettingsError(field, 'is not a setting');
    }
    if (field === 'ice.turnServers' && Array.isArray(value) && Array.isArray(out[key])) {
      out[key] = keepTurnPasswords(out[key] as Settings['ice']['turnServers'], value as unknown[]);
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeSettings(out[key] as unknown as Settings, value as DeepPartial<Settings>, field);
    } else if (value !== undefined) {
      out[key] = structuredClone(value);
    }
  }
  return out as unknown as Settings;
}

/**
 * A front end never holds the TURN passwords (toPublicSettings), so the list it sends back leaves
 * them out: an entry without one keeps the password stored for the same server and user.
 */
function keepTurnPasswords(stored: Settings['ice']['turnServers'], patch: unknown[]): unknown[] {
  return patch.map((entry) => {
    if (!isPlainObject(entry) || entry.password !== undefined) return structuredClone(entry);
    const same = stored.find((t) => t.server === entry.server && t.username === entry.username);
    return same?.password !== undefined ? { ...structuredClone(entry), password: same.password } : structuredClone(entry);
  });
}

export function toPublicSettings(s: Settings, passwordLocation: SecretLocation = 'file'): PublicSettings {
  const { password, ...account } = s.account;
  const turnServers = s.ice.turnServers.map(({ password: turnPassword, ...t }) => ({ ...t, hasPassword: !!turnPassword }));
  return { ...s, account: { ...account, hasPassword: !!password, passwordLocation }, ice: { ...s.ice, turnServers } };
}

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file on disk was unreadable or invalid and was moved aside. */
  warning?: string;
}

/**
 * Settings that no longer exist but older files still hold: dropped on load, so the rest of the
 * file still loads. `rtpPortMin` never chose a port (media takes any free one).
 */
const RETIRED_SETTINGS: readonly string[] = ['rtpPortMin'];

/**
 * Files written before SIP listened like a phone (no `sipTlsPort` yet) stored the old default
 * `sipPort: 0`, "any free port", which no one could reach; it becomes the new default 5060. A 0
 * saved since then is a choice and stays. An untouched old default key-agreement list gains X1M1
 * first, so post-quantum ZRTP is on for them too; a list the user edited is left alone.
 */
function migrate(stored: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(stored).filter(([key]) => !RETIRED_SETTINGS.includes(key)));
  const zrtp = kept.zrtp;
  if (isPlainObject(zrtp) && Array.isArray(zrtp.keyAgreement) && zrtp.keyAgreement.join() === CLASSIC_KEY_AGREEMENT_DEFAULT.join()) {
    kept.zrtp = { ...zrtp, keyAgreement: ['X1M1', ...CLASSIC_KEY_AGREEMENT_DEFAULT] };
  }
  if (!('sipTlsPort' in kept) && kept.sipPort === 0) return { ...kept, sipPort: 5060 };
  return kept;
}

export class SettingsStore {
  readonly path: string;
  private readonly passwordStores: PasswordStores;
  /** Where the SIP password is now; set by load(). */
  private passwordStore: SecretStore;
  /** The password as stored: an unchanged one is not written again, so a keychain entry that could not be read is kept. */
  private savedPassword = '';

  constructor(dataDir: string, passwordStores?: (settingsPath: string) => PasswordStores) {
    this.path = join(dataDir, SETTINGS_FILE);
    this.passwordStores = passwordStores?.(this.path) ?? filePasswordStores(dataDir, this.path);
    this.passwordStore = this.passwordStores.preferred;
  }

  get passwordLocation(): SecretLocation {
    return this.passwordStore.location;
  }

  load(): LoadedSettings {
    const loaded = this.loadFile();
    // After the file was read (and a bad one moved aside): the password may move between stores now.
    const settled = settlePassword(this.passwordStores);
    this.passwordStore = settled.store;
    this.savedPassword = settled.password;
    loaded.settings.account.password = settled.password;
    const warnings = [loaded.warning, this.passwordStores.note, settled.warning].filter((w): w is string => !!w);
    return warnings.length ? { settings: loaded.settings, warning: warnings.join('; ') } : { settings: loaded.settings };
  }

  private loadFile(): LoadedSettings {
    const read = readJsonOrMoveAside(this.path);
    if (read.kind === 'missing') return { settings: defaultSettings() };
    if (read.kind === 'corrupt') {
      return { settings: defaultSettings(), warning: `settings file was corrupt (${read.error}); moved to ${read.movedTo}` };
    }
    try {
      if (!isPlainObject(read.value)) throw new SettingsError('settings', 'must be an object');
      const merged = mergeSettings(defaultSettings(), migrate(read.value) as DeepPartial<Settings>);
      validateSettings(merged);
      return { settings: merged };
    } catch (e) {
      const movedTo = `${this.path}.invalid-${Date.now()}`;
      writeFileAtomic(movedTo, JSON.stringify(read.value, null, 2));
      return { settings: defaultSettings(), warning: `settings file was invalid (${(e as Error).message}); kept a copy in ${movedTo}` };
    }
  }

  save(settings: Settings): void {
    validateSettings(settings);
    const password = settings.account.password ?? '';
    const inFile = this.passwordStore.location === 'file';
    // The keychain first: when it fails, nothing was saved and the error names the field.
    if (!inFile && password !== this.savedPassword) {
      try {
        this.passwordStore.write(password);
      } catch (e) {
        throw new SettingsError('account.password', `could not be kept in the system keychain (${(e as Error).message})`);
      }
    }
    const account = { ...settings.account, password: inFile ? password : '' };
    writeFileAtomic(this.path, JSON.stringify({ ...settings, account }, null, 2) + '\n');
    this.savedPassword = password;
  }
}
