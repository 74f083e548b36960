// The AppCore API: every command, event and binary media frame that crosses between a front end
// (Electron preload, browser shell, CLI) and AppCore. Front ends add no logic: they carry these
// messages. Runs anywhere (no Node, no DOM).

export const API_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Shared value types

export type CallId = number;
export type StreamKind = 'audio' | 'video';
export type Transport = 'udp' | 'tcp' | 'tls';
export type SasType = 'B32' | 'B256';
/** X1M1: bzrtp's hybrid X25519 + ML-KEM-512 (post-quantum); the rest RFC 6189 §5.1.5. */
export type KeyAgreement = 'X1M1' | 'X255' | 'EC25' | 'EC38' | 'DH3k' | 'DH2k' | 'Mult' | 'Prsh';
/** How calls may be protected: ZRTP only (default), SDES allowed as a fallback, or plain RTP too. */
export type MediaSecurityPolicy = 'zrtp-required' | 'allow-sdes' | 'allow-unencrypted';
export type AudioCodec = 'opus' | 'pcmu' | 'pcma';
export type VideoCodec = 'vp8';
export type Codec = AudioCodec | VideoCodec;

export interface Account {
  displayName: string;
  /** Address of record, e.g. `sip:alice@example.org`. Empty in direct-IP-only mode. */
  address: string;
  username: string;
  /** Written only: AppCore never sends the stored password back to a front end. */
  password?: string;
  /** `host[:port]` of the registrar/outbound proxy; empty = direct IP calls only. */
  server: string;
  transport: Transport;
  /** PEM of a CA to trust for TLS, in addition to the system store. */
  trustedCaPem?: string;
  directIpOnly: boolean;
  /**
   * `host[:port][;transport=udp|tcp|tls]` every out-of-dialog request goes through (a loose
   * Route, RFC 3261 §8.1.2). Empty: a registered account goes through its registrar.
   */
  outboundProxy?: string;
}

/** A TURN server (RFC 8656) and its long-term credentials (§9.2). */
export interface TurnServerSettings {
  /** `host[:port]`, default port 3478, an IPv6 address in brackets. */
  server: string;
  username: string;
  /**
   * Written only, like the account's: AppCore never sends it back. A patch that leaves it out
   * keeps the one stored for the same server and user.
   */
  password?: string;
  /**
   * How we reach the server: 'tcp' for networks that let no UDP out (RFC 8656 §3.1; the relay
   * still speaks UDP to the peer). 'udp' when absent.
   */
  transport?: 'udp' | 'tcp';
}

/** ICE (RFC 8445) and the servers it gathers candidates with. */
export interface IceSettings {
  /** Off: the offer carries no candidates and media goes to the SDP address, as before ICE. */
  enabled: boolean;
  /** STUN servers, `host[:port]` (default port 3478, IPv6 in brackets), for our public address. */
  stunServers: string[];
  turnServers: TurnServerSettings[];
}

export interface ZrtpSettings {
  keyAgreement: KeyAgreement[];
  sasType: SasType;
  /**
   * How long a peer should keep each call's retained secret (rs1), in seconds: the cache
   * expiration interval of our Confirm (RFC 6189 §4.9, §5.7). 0 = no limit (default).
   */
  cacheExpirySeconds: number;
}

export interface DeviceSettings {
  microphoneId: string;
  speakerId: string;
  cameraId: string;
}

export interface Settings {
  account: Account;
  mediaSecurity: MediaSecurityPolicy;
  zrtp: ZrtpSettings;
  audioCodecs: AudioCodec[];
  videoCodecs: VideoCodec[];
  devices: DeviceSettings;
  /** SIP port for UDP and TCP (default 5060; the next free one when taken; 0 = any free port). */
  sipPort: number;
  /** SIP TLS port (default 5061), listened on only with a certificate and key. */
  sipTlsPort?: number;
  /** Pin SIP and media to this address (bind and advertise); empty = every interface (default). */
  sipHost?: string;
  /** PEM files of our TLS certificate and its key: without them no TLS listener (outgoing TLS works). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  callWaiting: boolean;
  autoAnswer: boolean;
  /**
   * Do not disturb: an incoming call is answered 486 Busy Here without ringing and kept in the
   * history as missed (a call replacing one of ours, an attended transfer, still comes through).
   */
  doNotDisturb: boolean;
  /** DNS servers for SIP lookups (RFC 3263), "127.0.0.1:5353"; empty = the system's. */
  dnsServers?: string[];
  /** Seconds between NAT keep-alives to the registrar (CRLF on TCP/TLS, OPTIONS on UDP); 0 = none. */
  keepAliveSeconds?: number;
  /**
   * A call with no authenticated RTP or RTCP from the other side for this long is ended
   * ('connection-lost'); "reconnecting…" shows after min(5 s, half of it). RTCP flows on hold and
   * mute, so a held call stays up.
   */
  mediaTimeoutSeconds: number;
  ice: IceSettings;
}

export type CallDirection = 'outgoing' | 'incoming';
export type CallStateName =
  | 'calling'
  | 'ringing'
  | 'incoming'
  | 'connected'
  | 'held'
  | 'ended';

export type EndReason =
  | 'local-hangup'
  | 'remote-hangup'
  | 'rejected'
  | 'busy'
  | 'cancelled'
  | 'not-found'
  | 'timeout'
  | 'sas-mismatch'
  | 'security-refused'
  | 'network-error'
  /** Nothing authenticated came from the other side for `mediaTimeoutSeconds`: it vanished. */
  | 'connection-lost'
  /** Handed over by a transfer (RFC 3515): the other side now talks to someone else. */
  | 'transferred'
  | 'failed';

export interface CallInfo {
  callId: CallId;
  direction: CallDirection;
  state: CallStateName;
  remoteUri: string;
  remoteName: string;
  startedAt: number;
  connectedAt?: number;
  endedAt?: number;
  endReason?: EndReason;
  /** SIP status and reason of the final response, when one ended the call. */
  sipStatus?: number;
  sipReason?: string;
  held: boolean;
  remoteHeld: boolean;
  muted: boolean;
  /** True while nothing has come from the other side for a few seconds (the call ends if it lasts). */
  reconnecting?: boolean;
  /** Negotiated codec per running stream. */
  codecs?: Partial<Record<StreamKind, Codec>>;
  video: {
    /** 'adding' while the re-INVITE is in flight. */
    local: 'off' | 'adding' | 'on';
    remote: 'off' | 'on';
    declinedByPeer: boolean;
  };
  /** The audio stream's path, once ICE found one (the 'path' event says each change). */
  path?: { kind: IcePathKind; rttMs?: number };
}

/**
 * How media travels (RFC 8445 §5.1.1): 'host' directly, 'srflx'/'prflx' through a router's
 * public address, 'relay' through a TURN server.
 */
export type IcePathKind = 'host' | 'srflx' | 'prflx' | 'relay';
/** Why ICE could not do its part: the TURN server refused our credentials, did not answer, or no path exists. */
export type IceFailure = 'turn-auth' | 'turn-unreachable' | 'no-path';

export type SecurityMode = 'zrtp' | 'sdes' | 'none';
export type SecurityStateName = 'none' | 'securing' | 'sas-ready' | 'secure' | 'failed';

export interface SecurityDetails {
  keyAgreement: string;
  cipher: string;
  hash: string;
  authTag: string;
  sasType: SasType | '';
  srtpSuite: string;
}

export type SecurityWarning =
  | { kind: 'cache-mismatch'; message: string }
  | { kind: 'new-identity'; message: string; previousZid: string; zid: string }
  | { kind: 'policy-refused'; message: string; sipStatus: number }
  | { kind: 'hello-hash-mismatch'; message: string }
  | { kind: 'zrtp-error'; message: string };

export interface SecurityInfo {
  callId: CallId;
  mode: SecurityMode;
  state: SecurityStateName;
  /** B32: 4 characters; B256: two PGP words separated by a space. */
  sas: string;
  sasType: SasType | '';
  verified: boolean;
  /** "encrypted, not end-to-end" for SDES, "end-to-end encrypted" for ZRTP, ... */
  label: string;
  peerZid: string;
  details: SecurityDetails;
  perStream: Partial<Record<StreamKind, { state: SecurityStateName; multistream: boolean }>>;
  warnings: SecurityWarning[];
}

export interface StreamStats {
  stream: StreamKind;
  codec: string;
  sendBitrate: number;
  recvBitrate: number;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  fractionLost: number;
  jitterMs: number;
  rttMs: number;
  /** SRTP protect failures: must stay 0 (baresip #3408). */
  protectFailures: number;
  dropped: Record<string, number>;
  audioLevel?: number;
  /** What playout made of the received stream (absent from workers that predate it). */
  playout?: PlayoutStats;
}

/** Receiving side of a stream after the network: what was concealed, how long we wait, what froze. */
export interface PlayoutStats {
  /** Audio time concealed since the call began (lost frames not rebuilt from FEC, and frames inserted to raise the delay), ms. */
  concealedMs: number;
  /** The audio jitter buffer's playout delay beyond the fastest path, ms (RFC 3550 A.8 estimate, moved between talk spurts). */
  playoutDelayMs: number;
  /** Lost Opus frames rebuilt from the next packet's in-band FEC (RFC 6716 §2.1.7) instead of concealed. */
  fecRecoveries: number;
  /** Video: times frames stopped for more than 200 ms while packets kept arriving. */
  videoFreezes: number;
}

export interface CallStats {
  callId: CallId;
  at: number;
  streams: StreamStats[];
}

export type RegistrationStateName = 'unregistered' | 'registering' | 'registered' | 'failed';
export interface RegistrationInfo {
  state: RegistrationStateName;
  address: string;
  sipStatus?: number;
  reason?: string;
  expiresAt?: number;
  /** Seconds until the next attempt after a failure or no answer. */
  retryInSeconds?: number;
  /** Behind a NAT: host:port the registrar sees us at (RFC 3581), which is what we registered. */
  publicAddress?: string;
}

export interface HistoryEntry {
  id: string;
  callId: CallId;
  direction: CallDirection;
  remoteUri: string;
  remoteName: string;
  startedAt: number;
  durationSeconds: number;
  missed: boolean;
  endReason: EndReason;
  verified: boolean;
  video: boolean;
  /** What protected the call when it ended (absent in entries written before contacts existed). */
  security?: HistorySecurity;
}

/** A call's protection as history keeps it: the facts a contact's security timeline is made of. */
export interface HistorySecurity {
  mode: SecurityMode;
  /** The peer's ZRTP identity (RFC 6189 §4.9), '' without ZRTP. */
  peerZid: string;
  /** The SAS of the call, '' before one was agreed. */
  sas: string;
  keyAgreement: string;
  cipher: string;
  /** The peer showed another ZRTP identity, or the retained secret did not match (§4.6.1.1). */
  keyChanged: boolean;
}

/** An address-book entry, kept in the data directory (contacts.json). */
export interface Contact {
  id: string;
  name: string;
  /** A sip: or sips: URI. */
  address: string;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * How far a contact can be trusted, at a glance. 'key-changed': their key is not the one that was
 * verified (a new ZRTP identity or a cache mismatch), or the code did not match on a call.
 */
export type ContactSecurityLevel = 'never-called' | 'not-verified' | 'verified' | 'key-changed';

export interface ContactSecurity {
  level: ContactSecurityLevel;
  /** When the SAS was last confirmed, and which code it was. */
  verifiedAt?: number;
  verifiedSas?: string;
  /** When the key was seen to change (or a code mismatch), if it did after the last verification. */
  changedAt?: number;
}

export interface ContactWithSecurity extends Contact {
  security: ContactSecurity;
}

/** What a contact's saveContact sends: no id creates one, an id updates that contact. */
export interface ContactDraft {
  id?: string;
  name: string;
  address: string;
  notes?: string;
}

export interface MediaDevice {
  kind: 'audioinput' | 'audiooutput' | 'videoinput';
  id: string;
  label: string;
}

export interface PingResult {
  /** Milliseconds for main -> media worker -> main. */
  roundTripMs: number;
  workerThreadId: number;
  workerPid: number;
}

export interface AppStateSnapshot {
  version: string;
  apiVersion: number;
  dataDir: string;
  settings: PublicSettings;
  registration: RegistrationInfo;
  calls: CallInfo[];
  security: SecurityInfo[];
  /** Whether a first-run account setup is still needed. */
  needsSetup: boolean;
  /** How peers reach us, once SIP listens. */
  listening?: ListeningInfo;
  /** Our ZRTP identity, 24 hex digits (the ZID of RFC 6189 §4.9), the same for every call. */
  zid: string;
}

/** Where SIP listens: what a peer can reach ("Your address: sip:alice@192.168.1.23:5062"). */
export interface ListeningInfo {
  /** sip: URIs of our addresses peers can dial (non-internal interfaces, or the pinned host). */
  addresses: string[];
  udp: number | null;
  tcp: number | null;
  /** null: no TLS listener (no certificate configured). */
  tls: number | null;
  /** Sentences for a person: a taken port and the one used instead, no TLS listener. */
  notes: string[];
}

/**
 * Settings as a front end sees them: the stored password is replaced by whether one is set and
 * where it is kept (the system keychain under Electron with a real one, else the 0600 settings file).
 */
export type PublicSettings = Omit<Settings, 'account' | 'ice'> & {
  account: Omit<Account, 'password'> & { hasPassword: boolean; passwordLocation: 'keychain' | 'file' };
  ice: Omit<IceSettings, 'turnServers'> & { turnServers: (Omit<TurnServerSettings, 'password'> & { hasPassword: boolean })[] };
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

// ---------------------------------------------------------------------------------------------
// Commands: request -> typed result or typed error

export interface CommandMap {
  ping: { args: Record<string, never>; result: PingResult };
  getState: { args: Record<string, never>; result: AppStateSnapshot };
  register: { args: Record<string, never>; result: RegistrationInfo };
  unregister: { args: Record<string, never>; result: RegistrationInfo };
  call: { args: { uri: string }; result: { callId: CallId } };
  /**
   * "Answer with video" (default): an offered video stream is accepted; `video: false` declines it
   * (audio only). A call already connected is held first (call waiting).
   */
  answer: { args: { callId: CallId; video?: boolean }; result: null };
  reject: { args: { callId: CallId; code?: number }; result: null };
  hangup: { args: { callId: CallId }; result: null };
  /** `on: false` resumes the call; any other connected call is held first (call waiting: swap). */
  hold: { args: { callId: CallId; on: boolean }; result: null };
  /**
   * Blind transfer (RFC 3515): the peer is asked to call `to`. Resolves once the peer accepts;
   * on success the call ends ('transferred'), on failure an 'error' event says why and it stays.
   */
  transfer: { args: { callId: CallId; to: string }; result: null };
  /** Attended transfer (RFC 3891 Replaces): the peer of `callId` takes our place in `targetCallId`. */
  transferAttended: { args: { callId: CallId; targetCallId: CallId }; result: null };
  mute: { args: { callId: CallId; on: boolean }; result: null };
  sendDtmf: { args: { callId: CallId; digits: string }; result: null };
  addVideo: { args: { callId: CallId }; result: null };
  removeVideo: { args: { callId: CallId }; result: null };
  /** `verified: false` is "Doesn't match": AppCore ends the call (reason 'sas-mismatch'). */
  setSasVerified: { args: { callId: CallId; verified: boolean }; result: null };
  getSettings: { args: Record<string, never>; result: PublicSettings };
  updateSettings: { args: { patch: DeepPartial<Settings> }; result: PublicSettings };
  resetZrtpCache: { args: Record<string, never>; result: null };
  getHistory: { args: Record<string, never>; result: HistoryEntry[] };
  clearHistory: { args: Record<string, never>; result: null };
  listContacts: { args: Record<string, never>; result: ContactWithSecurity[] };
  /** Creates (no id) or updates a contact; a bad name, address or notes is 'bad-request' with a field. */
  saveContact: { args: { contact: ContactDraft }; result: ContactWithSecurity };
  deleteContact: { args: { id: string }; result: null };
  /** Devices the media side offers (CLI sources; the renderer enumerates its own as well). */
  listDevices: { args: Record<string, never>; result: MediaDevice[] };
  /**
   * The front end's video decoder needs a keyframe (it lost one, or failed to decode): the call
   * sends the peer a PLI (RFC 4585 §6.3.1) so the peer's encoder makes one. The other way round
   * is the event 'peerWantsKeyframe'.
   */
  requestKeyframeFromPeer: { args: { callId: CallId }; result: null };
}

export type CommandName = keyof CommandMap;
export type CommandArgs<C extends CommandName> = CommandMap[C]['args'];
export type CommandResult<C extends CommandName> = CommandMap[C]['result'];

export const COMMAND_NAMES: readonly CommandName[] = [
  'ping',
  'getState',
  'register',
  'unregister',
  'call',
  'answer',
  'reject',
  'hangup',
  'hold',
  'transfer',
  'transferAttended',
  'mute',
  'sendDtmf',
  'addVideo',
  'removeVideo',
  'setSasVerified',
  'getSettings',
  'updateSettings',
  'resetZrtpCache',
  'getHistory',
  'clearHistory',
  'listContacts',
  'saveContact',
  'deleteContact',
  'listDevices',
  'requestKeyframeFromPeer',
];

export type ApiErrorCode =
  | 'bad-request'
  | 'invalid-setting'
  | 'unknown-call'
  | 'invalid-state'
  | 'not-registered'
  | 'network'
  | 'media'
  | 'security'
  | 'unavailable'
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** The settings field a validation error names, e.g. `account.server`. */
  field?: string;
}

export type Request<C extends CommandName = CommandName> = {
  kind: 'request';
  id: number;
  command: C;
  args: CommandArgs<C>;
};

export type Response<C extends CommandName = CommandName> =
  | { kind: 'response'; id: number; ok: true; result: CommandResult<C> }
  | { kind: 'response'; id: number; ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------
// Events: AppCore -> front ends

export type ApiEvent =
  | { type: 'callState'; call: CallInfo }
  | { type: 'security'; security: SecurityInfo }
  | { type: 'stats'; stats: CallStats }
  | { type: 'registration'; registration: RegistrationInfo }
  | { type: 'listening'; listening: ListeningInfo }
  | { type: 'settings'; settings: PublicSettings }
  | { type: 'history'; history: HistoryEntry[] }
  /** The address book changed, or a call changed what a contact's security is. */
  | { type: 'contacts'; contacts: ContactWithSecurity[] }
  /**
   * The peer sent PLI or FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1): the front end's video encoder
   * makes its next frame a keyframe. The other way round is the command 'requestKeyframeFromPeer'.
   */
  | { type: 'peerWantsKeyframe'; callId: CallId }
  | { type: 'dtmf'; callId: CallId; digit: string }
  /** Settings just changed in a way that lowers protection, whoever changed them (any front end). */
  | { type: 'protectionLowered'; changes: ProtectionChange[] }
  /**
   * The path a call's stream takes now: the first pair that worked, then each pair ICE selects
   * (RFC 8445 §8.1). `local` and `remote` are candidates, `TYPE ADDRESS:PORT` ("relay 203.0.113.9:49152").
   */
  | { type: 'path'; callId: CallId; stream: StreamKind; kind: IcePathKind; rttMs?: number; local: string; remote: string }
  /** `reason` only with scope 'ice': why no path (the message says it in words). */
  | { type: 'error'; scope: 'registration' | 'call' | 'media' | 'settings' | 'security' | 'ice' | 'app'; callId?: CallId; message: string; code?: ApiErrorCode; reason?: IceFailure };

/** One setting that went below the default protection: media security below zrtp-required, auto-answer on. */
export type ProtectionChange =
  | { setting: 'mediaSecurity'; from: MediaSecurityPolicy; to: MediaSecurityPolicy }
  | { setting: 'autoAnswer'; from: boolean; to: boolean };

export type ApiEventType = ApiEvent['type'];
export const EVENT_TYPES: readonly ApiEventType[] = [
  'callState',
  'security',
  'stats',
  'registration',
  'listening',
  'settings',
  'history',
  'contacts',
  'peerWantsKeyframe',
  'dtmf',
  'protectionLowered',
  'path',
  'error',
];

export interface EventMessage {
  kind: 'event';
  event: ApiEvent;
}

export type ServerMessage = Response | EventMessage;
export type ClientMessage = Request;

// ---------------------------------------------------------------------------------------------
// Binary media frames (both directions): 16-byte header + encoded payload. Only encoded frames
// travel here; keyframe requests are the command 'requestKeyframeFromPeer' and the event
// 'peerWantsKeyframe'.

export const MEDIA_FRAME_MAGIC = 0x56; // 'V'
export const MEDIA_FRAME_HEADER_BYTES = 16;
export const MEDIA_FRAME_MAX_PAYLOAD = 1 << 20;

export interface MediaFrameHeader {
  callId: CallId;
  stream: StreamKind;
  codec: Codec;
  /** RTP timestamp in the codec's clock (48 kHz Opus, 8 kHz G.711, 90 kHz VP8). */
  timestamp: number;
  /** Video: a keyframe. */
  keyframe: boolean;
  /**
   * Audio, from main: the frame at `timestamp` was lost. An empty payload means nothing follows it
   * yet: it is concealed. Otherwise the payload is the packet after it, already in the jitter
   * buffer, which rebuilds it (Opus in-band FEC by decode_fec, RFC 6716 §2.1.7) or lets the loss
   * be interpolated into it (G.711); that packet comes again as a frame of its own next.
   */
  lost?: boolean;
}

export interface MediaFrame {
  header: MediaFrameHeader;
  payload: Uint8Array;
  /**
   * The payload's buffer is this frame's own and has MEDIA_FRAME_HEADER_BYTES spare bytes right
   * before the payload: encodeMediaFrame writes the header there and sends the bytes as they are
   * instead of copying them (a video frame from the media worker, issue 23).
   */
  headroom?: boolean;
}

/** A typed API surface every front end's client implements identically. */
export interface VouchApi {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  sendMediaFrame(frame: MediaFrame): void;
  onMediaFrame(listener: (frame: MediaFrame) => void): () => void;
}

/** Thrown by `VouchApi.invoke` when AppCore answers with an error. */
export class VouchApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field?: string;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'VouchApiError';
    this.code = error.code;
    if (error.field !== undefined) this.field = error.field;
  }
}
