// Test fixtures: well-formed API values with overridable fields, shared by the state and
// component tests.
import type { CallInfo, CallStats, HistoryEntry, PublicSettings, SecurityInfo, StreamStats } from '../../shared/api';

export function callInfo(patch: Partial<CallInfo> = {}): CallInfo {
  return {
    callId: 1,
    direction: 'outgoing',
    state: 'connected',
    remoteUri: 'sip:bob@127.0.0.1',
    remoteName: 'Bob',
    startedAt: 1_000_000,
    connectedAt: 1_001_000,
    held: false,
    remoteHeld: false,
    muted: false,
    video: { local: 'off', remote: 'off', declinedByPeer: false },
    ...patch,
  };
}

export function securityInfo(patch: Partial<SecurityInfo> = {}): SecurityInfo {
  return {
    callId: 1,
    mode: 'zrtp',
    state: 'sas-ready',
    sas: 'k7xq',
    sasType: 'B32',
    verified: false,
    label: 'end-to-end encrypted',
    peerZid: '0123456789abcdef01234567',
    details: { keyAgreement: 'X255', cipher: 'AES1', hash: 'S256', authTag: 'HS80', sasType: 'B32', srtpSuite: 'AES_CM_128_HMAC_SHA1_80' },
    perStream: { audio: { state: 'sas-ready', multistream: false } },
    warnings: [],
    ...patch,
  };
}

export function streamStats(patch: Partial<StreamStats> = {}): StreamStats {
  return {
    stream: 'audio',
    codec: 'opus',
    sendBitrate: 32_000,
    recvBitrate: 31_000,
    packetsSent: 500,
    packetsReceived: 498,
    packetsLost: 2,
    fractionLost: 0.004,
    jitterMs: 3.5,
    rttMs: 12,
    protectFailures: 0,
    dropped: {},
    ...patch,
  };
}

export function callStats(at: number, streams: StreamStats[] = [streamStats()], callId = 1): CallStats {
  return { callId, at, streams };
}

export function historyEntry(patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'h1',
    callId: 1,
    direction: 'incoming',
    remoteUri: 'sip:carol@127.0.0.1',
    remoteName: 'Carol',
    startedAt: Date.UTC(2026, 10, 24, 9, 30),
    durationSeconds: 75,
    missed: false,
    endReason: 'remote-hangup',
    verified: false,
    video: false,
    ...patch,
  };
}

export function publicSettings(): PublicSettings {
  return {
    account: { displayName: 'Alice', address: 'sip:alice@127.0.0.1', username: 'alice', hasPassword: false, passwordLocation: 'file', server: '', transport: 'udp', directIpOnly: true },
    mediaSecurity: 'zrtp-required',
    zrtp: { keyAgreement: ['X255', 'EC25', 'DH3k', 'EC38'], sasType: 'B32', cacheExpirySeconds: 0 },
    audioCodecs: ['opus', 'pcmu', 'pcma'],
    videoCodecs: ['vp8'],
    devices: { microphoneId: 'default', speakerId: 'default', cameraId: 'default' },
    sipPort: 0,
    callWaiting: false,
    autoAnswer: false,
    doNotDisturb: false,
    mediaTimeoutSeconds: 30,
    ice: { enabled: true, stunServers: [], turnServers: [] },
  };
}
