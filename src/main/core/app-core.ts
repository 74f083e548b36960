// AppCore: the one object every front end (Electron, browser shell, CLI) drives. All state and
// logic live here; the front ends only carry api.ts messages. No 'electron' import.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ApiError,
  ApiEvent,
  AppStateSnapshot,
  CommandArgs,
  CommandName,
  CommandResult,
  MediaFrame,
  RegistrationInfo,
  Request,
  Response,
  Settings,
} from '../../shared/api';
import { VOUCH_VERSION } from '../version';
import { MediaWorkerHost } from '../media/worker-host';
import { SettingsError, SettingsStore, mergeSettings, toPublicSettings, validateSettings } from '../store/settings';
import { HistoryStore } from './history';

export class CommandError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export interface AppCoreOptions {
  dataDir: string;
  /** Start a media worker ahead of need (default true). */
  prestartWorker?: boolean;
}

type Handler<C extends CommandName> = (args: CommandArgs<C>) => Promise<CommandResult<C>> | CommandResult<C>;

export class AppCore {
  readonly dataDir: string;
  private readonly settingsStore: SettingsStore;
  private settings: Settings;
  private readonly history: HistoryStore;
  private readonly workers: MediaWorkerHost;
  private readonly eventListeners = new Set<(e: ApiEvent) => void>();
  private readonly frameListeners = new Set<(f: MediaFrame) => void>();
  private registration: RegistrationInfo = { state: 'unregistered', address: '' };
  readonly startupWarnings: string[] = [];

  constructor(options: AppCoreOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.settingsStore = new SettingsStore(this.dataDir);
    const loaded = this.settingsStore.load();
    this.settings = loaded.settings;
    if (loaded.warning) this.startupWarnings.push(loaded.warning);
    this.history = new HistoryStore(this.dataDir);
    if (this.history.warning) this.startupWarnings.push(this.history.warning);
    this.workers = new MediaWorkerHost(options.prestartWorker ?? true);
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
  acceptMediaFrame(_frame: MediaFrame): void {
    // Frames for calls that do not exist are dropped: a late frame after hangup is normal.
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
      settings: toPublicSettings(this.settings),
      registration: this.registration,
      calls: [],
      security: [],
      needsSetup: !this.settings.account.directIpOnly && this.settings.account.address === '',
    };
  }

  private readonly handlers: { [C in CommandName]: Handler<C> } = {
    ping: async () => {
      const r = await this.workers.ping();
      return { roundTripMs: r.roundTripMs, workerThreadId: r.threadId, workerPid: r.pid };
    },
    getState: () => this.snapshot(),
    getSettings: () => toPublicSettings(this.settings),
    updateSettings: ({ patch }) => {
      const next = mergeSettings(this.settings, patch);
      validateSettings(next);
      this.settingsStore.save(next);
      this.settings = next;
      const pub = toPublicSettings(next);
      this.emit({ type: 'settings', settings: pub });
      return pub;
    },
    getHistory: () => this.history.list(),
    clearHistory: () => {
      this.history.clear();
      this.emit({ type: 'history', history: [] });
      return null;
    },
    resetZrtpCache: () => {
      rmSync(join(this.dataDir, 'zrtp-cache.json'), { force: true });
      return null;
    },
    listDevices: () => [
      { kind: 'audioinput', id: 'tone', label: 'Test tone (1 kHz)' },
      { kind: 'videoinput', id: 'ivf', label: 'Test clip (VP8)' },
      { kind: 'audiooutput', id: 'wav', label: 'Record to WAV' },
    ],
    register: () => this.callsUnavailable(),
    unregister: () => this.callsUnavailable(),
    call: () => this.callsUnavailable(),
    answer: () => this.callsUnavailable(),
    reject: () => this.callsUnavailable(),
    hangup: () => this.callsUnavailable(),
    hold: () => this.callsUnavailable(),
    mute: () => this.callsUnavailable(),
    sendDtmf: () => this.callsUnavailable(),
    addVideo: () => this.callsUnavailable(),
    removeVideo: () => this.callsUnavailable(),
    setSasVerified: () => this.callsUnavailable(),
    requestKeyframe: () => this.callsUnavailable(),
  };

  private callsUnavailable(): never {
    throw new CommandError({ code: 'unavailable', message: 'calling is not available in this build yet' });
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
    await this.workers.close();
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof CommandError) return e.error;
  if (e instanceof SettingsError) return { code: 'invalid-setting', message: e.message, field: e.field };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
