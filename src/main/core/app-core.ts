// AppCore: the one object every front end (Electron, browser shell, CLI) drives. All state and
// logic live here; the front ends only carry api.ts messages. No 'electron' import.

import { mkdirSync } from 'node:fs';
import type {
  ApiError,
  ApiEvent,
  AppStateSnapshot,
  CommandArgs,
  CommandName,
  CommandResult,
  MediaFrame,
  Request,
  Response,
  Settings,
} from '../../shared/api';
import { VOUCH_VERSION } from '../version';
import { MediaWorkerHost } from '../media/host/worker-host';
import { START_UP_REHEARSALS, warmCallPath } from '../call/warm-up';
import { SettingsError, SettingsStore, mergeSettings, toPublicSettings, validateSettings } from '../store/settings';
import type { PasswordStores } from '../store/sip-password';
import { HistoryStore } from './history';
import { CommandError } from './errors';
import { CallManager } from './call-manager';
import type { MediaIo } from '../call/media-plan';
import { ZrtpCacheStore } from '../store/zrtp-cache-store';
import { ContactsStore } from '../store/contacts-store';
import { ContactBook } from './contact-book';
import { loweredProtection } from './protection';

export { CommandError };

export interface AppCoreOptions {
  dataDir: string;
  /** Start a media worker ahead of need (default true). */
  prestartWorker?: boolean;
  /**
   * Address SIP and media bind to and advertise (tests pin 127.0.0.1). Default: every interface,
   * IPv6 and IPv4, each peer told the address its route reaches us on (net/local-address.ts).
   */
  host?: string;
  /** SIP UDP and TCP port (overrides the setting, default 5060; 0 = any free port). */
  sipPort?: number;
  /** SIP TLS port (overrides the setting, default 5061). */
  sipTlsPort?: number;
  /** PEM files of our TLS certificate and key (override the settings); without them no TLS listener. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Where call media comes from and goes to (default: frames to and from the renderer). */
  io?: MediaIo;
  /** Where the SIP password is kept (default: the settings file); Electron passes its keychain. */
  passwordStores?: (settingsPath: string) => PasswordStores;
}

export const RENDERER_IO: MediaIo = {
  audioSource: { kind: 'frames' },
  audioSink: { kind: 'frames' },
  videoSource: { kind: 'frames' },
  videoSink: { kind: 'frames' },
  audioCodecs: ['opus', 'pcmu', 'pcma'],
};

type Handler<C extends CommandName> = (args: CommandArgs<C>) => Promise<CommandResult<C>> | CommandResult<C>;

export class AppCore {
  readonly dataDir: string;
  private readonly settingsStore: SettingsStore;
  private settings: Settings;
  private readonly history: HistoryStore;
  private readonly workers: MediaWorkerHost;
  private readonly eventListeners = new Set<(e: ApiEvent) => void>();
  private readonly frameListeners = new Set<(f: MediaFrame) => void>();
  // Front ends see these only through commands, events and the snapshot (api.ts).
  private readonly zrtpStore: ZrtpCacheStore;
  private readonly calls: CallManager;
  private readonly contacts: ContactBook;
  readonly startupWarnings: string[] = [];
  /** The start-up rehearsal of an answer (call/warm-up.ts), run once by the first start(). */
  private rehearsal: ReturnType<typeof warmCallPath> | undefined;

  constructor(options: AppCoreOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.settingsStore = new SettingsStore(this.dataDir, options.passwordStores);
    const loaded = this.settingsStore.load();
    this.settings = loaded.settings;
    if (loaded.warning) this.startupWarnings.push(loaded.warning);
    this.history = new HistoryStore(this.dataDir);
    if (this.history.warning) this.startupWarnings.push(this.history.warning);
    this.workers = new MediaWorkerHost(options.prestartWorker ?? true);
    this.zrtpStore = new ZrtpCacheStore(this.dataDir);
    if (this.zrtpStore.warning) this.startupWarnings.push(this.zrtpStore.warning);
    const contactsStore = new ContactsStore(this.dataDir);
    if (contactsStore.warning) this.startupWarnings.push(contactsStore.warning);
    this.contacts = new ContactBook(contactsStore, this.history, this.zrtpStore);
    const io = options.io ?? { ...RENDERER_IO, audioCodecs: this.settings.audioCodecs };
    this.calls = new CallManager(
      { host: options.host, sipPort: options.sipPort, sipTlsPort: options.sipTlsPort, tlsCertFile: options.tlsCertFile, tlsKeyFile: options.tlsKeyFile, io },
      () => this.settings,
      this.workers,
      this.zrtpStore,
      this.history,
      (e) => {
        this.emit(e);
        // A call that ended can change what a contact's security is (verified, key changed).
        if (e.type === 'history') this.emit({ type: 'contacts', contacts: this.contacts.list() });
      },
      (f) => {
        for (const l of this.frameListeners) l(f);
      },
    );
  }

  /** Starts listening for calls (the SIP user agent); commands start it on demand too. */
  async start(): Promise<void> {
    await this.calls.start();
    // Off the call path, so the first call answers as fast as the next (issue 23): an answer is
    // rehearsed on a made-up INVITE (call/warm-up.ts: no socket, no event, nothing kept), once at
    // once and the other times once the spare worker is ready (a busy main thread delays the
    // worker's start-up: with all of them at once it was ready ~0.5 s later on a loaded machine),
    // and main and the spare worker exchange one message.
    if (!this.rehearsal) {
      const inputs = { settings: () => this.settings, io: this.calls.io, zid: this.zrtpStore.zid };
      this.rehearsal = warmCallPath(inputs).then((first) => (first.answered ? this.workers.spareReady().then(() => warmCallPath(inputs, 9, START_UP_REHEARSALS - 1)) : first));
    }
    this.workers.warmSpare();
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Encoded media frames going to a front end (decoded video/audio from the call's worker). */
  onMediaFrame(listener: (f: MediaFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Encoded media frames coming from a front end (camera/microphone) for a call's worker. */
  acceptMediaFrame(frame: MediaFrame): void {
    // Frames for calls that do not exist are dropped: a late frame after hangup is normal.
    this.calls.acceptFrame(frame);
  }

  private emit(event: ApiEvent): void {
    for (const l of this.eventListeners) {
      try {
        l(event);
      } catch {
        // One front end's failing listener must not starve the others.
      }
    }
  }

  snapshot(): AppStateSnapshot {
    return {
      version: VOUCH_VERSION,
      apiVersion: 1,
      dataDir: this.dataDir,
      settings: toPublicSettings(this.settings, this.settingsStore.passwordLocation),
      registration: this.calls.registration,
      calls: this.calls.list(),
      security: this.calls.securityList(),
      needsSetup: !this.settings.account.directIpOnly && this.settings.account.address === '',
      listening: this.calls.listening,
      zid: this.zrtpStore.zid,
    };
  }

  private readonly handlers: { [C in CommandName]: Handler<C> } = {
    ping: async () => {
      const r = await this.workers.ping();
      return { roundTripMs: r.roundTripMs, workerThreadId: r.threadId, workerPid: r.pid };
    },
    getState: () => this.snapshot(),
    getSettings: () => toPublicSettings(this.settings, this.settingsStore.passwordLocation),
    updateSettings: async ({ patch }) => {
      const next = mergeSettings(this.settings, patch);
      validateSettings(next);
      this.settingsStore.save(next);
      const before = this.settings;
      this.settings = next;
      const pub = toPublicSettings(next, this.settingsStore.passwordLocation);
      this.emit({ type: 'settings', settings: pub });
      const lowered = loweredProtection(before, next);
      if (lowered.length > 0) this.emit({ type: 'protectionLowered', changes: lowered });
      // The new identity takes effect in the background: saving never waits for a registrar.
      const listenChanged = ['sipPort', 'sipTlsPort', 'sipHost', 'tlsCertFile', 'tlsKeyFile'].some((k) => k in patch);
      if (patch.account || patch.callWaiting !== undefined || listenChanged) {
        void this.calls.restartIfIdle(listenChanged).catch((e: Error) => this.emit({ type: 'error', scope: 'registration', message: e.message, code: 'network' }));
      }
      return pub;
    },
    getHistory: () => this.history.list(),
    clearHistory: () => {
      this.history.clear();
      this.emit({ type: 'history', history: [] });
      return null;
    },
    resetZrtpCache: () => {
      this.zrtpStore.reset();
      this.emit({ type: 'contacts', contacts: this.contacts.list() });
      return null;
    },
    listContacts: () => this.contacts.list(),
    saveContact: ({ contact }) => {
      const saved = this.contacts.save(contact);
      this.emit({ type: 'contacts', contacts: this.contacts.list() });
      return saved;
    },
    deleteContact: ({ id }) => {
      this.contacts.delete(id);
      this.emit({ type: 'contacts', contacts: this.contacts.list() });
      return null;
    },
    listDevices: () => [
      { kind: 'audioinput', id: 'tone', label: 'Test tone (1 kHz)' },
      { kind: 'videoinput', id: 'ivf', label: 'Test clip (VP8)' },
      { kind: 'audiooutput', id: 'wav', label: 'Record to WAV' },
    ],
    register: async () => {
      const a = this.settings.account;
      if (a.directIpOnly || !a.server) throw new CommandError({ code: 'invalid-setting', field: 'account.server', message: 'account.server: set a server to register (or call IP addresses directly)' });
      await this.calls.close();
      await this.calls.start();
      await this.calls.registered();
      return this.calls.registration;
    },
    unregister: async () => {
      await this.calls.close();
      this.calls.registration = { state: 'unregistered', address: this.settings.account.address };
      this.emit({ type: 'registration', registration: this.calls.registration });
      return this.calls.registration;
    },
    call: async ({ uri }) => ({ callId: await this.calls.call(uri) }),
    answer: ({ callId, video }) => this.guard(() => this.calls.answer(callId, video ?? true)),
    reject: ({ callId, code }) => this.guard(() => this.calls.get(callId).reject(code)),
    hangup: ({ callId }) => this.guard(() => this.calls.get(callId).hangup()),
    hold: ({ callId, on }) => this.guard(() => this.calls.hold(callId, on)),
    transfer: ({ callId, to }) => this.guard(() => this.calls.transfer(callId, to)),
    transferAttended: ({ callId, targetCallId }) => this.guard(() => this.calls.transferAttended(callId, targetCallId)),
    mute: ({ callId, on }) => this.guard(() => this.calls.get(callId).mute(on)),
    sendDtmf: ({ callId, digits }) => this.guard(() => this.calls.get(callId).sendDtmf(digits)),
    addVideo: ({ callId }) => this.guard(() => this.calls.get(callId).addVideo()),
    removeVideo: ({ callId }) => this.guard(() => this.calls.get(callId).removeVideo()),
    setSasVerified: ({ callId, verified }) =>
      this.guard(() => {
        const call = this.calls.get(callId);
        call.setSasVerified(verified);
        // "Doesn't match": someone is in the middle; the call must not go on.
        if (!verified) call.hangupWith('sas-mismatch');
      }),
    requestKeyframeFromPeer: ({ callId }) => this.guard(() => this.calls.get(callId).requestKeyframe()),
  };

  /** Runs a call command; a call-layer failure becomes a typed error naming what went wrong. */
  private async guard(fn: () => unknown): Promise<null> {
    try {
      await fn();
      return null;
    } catch (e) {
      if (e instanceof CommandError) throw e;
      throw new CommandError({ code: e instanceof Error && /not connected|no incoming/.test(e.message) ? 'invalid-state' : 'network', message: e instanceof Error ? e.message : String(e) });
    }
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    const handler = this.handlers[command] as Handler<C>;
    return handler(args);
  }

  /** Runs one request and never throws: every failure becomes a typed error response. */
  async handle(request: Request): Promise<Response> {
    try {
      const result = await this.invoke(request.command, request.args);
      return { kind: 'response', id: request.id, ok: true, result } as Response;
    } catch (e) {
      return { kind: 'response', id: request.id, ok: false, error: toApiError(e) };
    }
  }

  async close(): Promise<void> {
    await this.calls.close();
    await this.workers.close();
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof CommandError) return e.error;
  if (e instanceof SettingsError) return { code: 'invalid-setting', message: e.message, field: e.field };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
