// Call history, persisted in the data directory (history.json, atomic writes), newest first,
// bounded so the file cannot grow without limit.

import { join } from 'node:path';
import type { CallId, CallInfo, HistoryEntry, HistorySecurity, SecurityInfo } from '../../shared/api';
import { readJsonOrMoveAside, writeFileAtomic } from '../store/atomic-file';

export const HISTORY_LIMIT = 500;

/** What protected a call, for the contact's security timeline: a warning of a changed key is kept. */
export function historySecurityOf(s: Pick<SecurityInfo, 'mode' | 'peerZid' | 'sas' | 'details' | 'warnings'>): HistorySecurity {
  return {
    mode: s.mode,
    peerZid: s.peerZid,
    sas: s.sas,
    keyAgreement: s.details.keyAgreement,
    cipher: s.details.cipher,
    keyChanged: s.warnings.some((w) => w.kind === 'cache-mismatch' || w.kind === 'new-identity'),
  };
}

/** The history entry of an ended call: talk time from the answer, missed if never answered nor rejected. */
export function historyEntryOf(callId: CallId, i: CallInfo, verified: boolean, security?: HistorySecurity): HistoryEntry {
  return {
    id: `${i.startedAt}-${callId}`,
    callId,
    direction: i.direction,
    remoteUri: i.remoteUri,
    remoteName: i.remoteName,
    startedAt: i.startedAt,
    durationSeconds: i.connectedAt ? Math.round(((i.endedAt ?? Date.now()) - i.connectedAt) / 1000) : 0,
    missed: i.direction === 'incoming' && !i.connectedAt && i.endReason !== 'rejected',
    endReason: i.endReason ?? 'failed',
    verified,
    video: i.video.local === 'on' || i.video.remote === 'on',
    ...(security ? { security } : {}),
  };
}

/** A call turned away by Do not disturb (486 Busy Here, never rang): missed, as the user sees it. */
export function turnedAwayEntry(callId: CallId, remoteUri: string, remoteName: string, at: number): HistoryEntry {
  return { id: `${at}-${callId}`, callId, direction: 'incoming', remoteUri, remoteName, startedAt: at, durationSeconds: 0, missed: true, endReason: 'busy', verified: false, video: false };
}

export class HistoryStore {
  readonly path: string;
  private entries: HistoryEntry[] = [];
  warning?: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'history.json');
    const read = readJsonOrMoveAside(this.path);
    if (read.kind === 'ok' && Array.isArray(read.value)) this.entries = (read.value as HistoryEntry[]).slice(0, HISTORY_LIMIT);
    else if (read.kind === 'corrupt') this.warning = `call history was corrupt (${read.error}); moved to ${read.movedTo}`;
  }

  list(): HistoryEntry[] {
    return this.entries.slice();
  }

  add(entry: HistoryEntry): void {
    this.entries.unshift(entry);
    if (this.entries.length > HISTORY_LIMIT) this.entries.length = HISTORY_LIMIT;
    this.save();
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.entries) + '\n');
  }
}
