// A fixed address book and call history for the screenshot spec (ui-screens.spec.ts): one
// contact at each security level, so every badge and the red "key changed" are on screen, with
// fixed times (the spec runs in UTC) so the pictures do not depend on the day they are taken.
import type { ContactWithSecurity, HistoryEntry, HistorySecurity } from '../src/shared/api';
import { contactSecurity } from '../src/shared/contact-security';

const at = (day: number, hour: number, minute: number) => Date.UTC(2026, 10, day, hour, minute);

function zrtp(peerZid: string, sas: string, keyChanged = false): HistorySecurity {
  return { mode: 'zrtp', peerZid, sas, keyAgreement: 'X255', cipher: 'AES1', keyChanged };
}

function entry(id: string, remoteUri: string, remoteName: string, patch: Partial<HistoryEntry>): HistoryEntry {
  return {
    id,
    callId: Number(id.slice(1)),
    direction: 'outgoing',
    remoteUri,
    remoteName,
    startedAt: at(24, 9, 0),
    durationSeconds: 0,
    missed: false,
    endReason: 'remote-hangup',
    verified: false,
    video: false,
    ...patch,
  };
}

const BOB = 'sip:bob@127.0.0.1';
const CAROL = 'sip:carol@127.0.0.1';
const DAVE = 'sip:dave@127.0.0.1';

export const SCREEN_HISTORY: HistoryEntry[] = [
  entry('h1', BOB, 'Bob', { startedAt: at(20, 10, 0), durationSeconds: 125, verified: true, security: zrtp('0123456789abcdef01234567', 'k7xq') }),
  entry('h2', BOB, 'Bob', { direction: 'incoming', startedAt: at(23, 18, 15), durationSeconds: 312, video: true, verified: true, security: zrtp('0123456789abcdef01234567', 'p4ma') }),
  entry('h3', DAVE, 'Dave', { startedAt: at(18, 16, 40), durationSeconds: 64, verified: true, security: zrtp('fedcba9876543210fedcba98', 'r2d2') }),
  entry('h4', DAVE, 'Dave', { direction: 'incoming', startedAt: at(24, 8, 5), durationSeconds: 47, security: zrtp('00112233445566778899aabb', 'w9ex', true) }),
  entry('h5', CAROL, 'Carol', { direction: 'incoming', startedAt: at(22, 12, 30), durationSeconds: 80, security: zrtp('aabbccddeeff001122334455', 'h3jt') }),
  entry('h6', CAROL, 'Carol', { direction: 'incoming', startedAt: at(24, 11, 20), missed: true, endReason: 'cancelled' }),
  entry('h7', CAROL, 'Carol', { direction: 'incoming', startedAt: at(24, 11, 22), missed: true, endReason: 'cancelled' }),
  entry('h8', 'sip:frank@127.0.0.1:5070', '', { startedAt: at(24, 13, 5), endReason: 'timeout' }),
];

function contact(id: string, name: string, address: string, notes: string): ContactWithSecurity {
  return { id, name, address, notes, createdAt: at(1, 9, 0), updatedAt: at(1, 9, 0), security: contactSecurity(address, SCREEN_HISTORY) };
}

export const SCREEN_CONTACTS: ContactWithSecurity[] = [
  contact('c1', 'Bob', BOB, 'Met at the conference; prefers calls after 6 pm.'),
  contact('c2', 'Carol', CAROL, ''),
  contact('c3', 'Dave', DAVE, 'Works from the lab.'),
  contact('c4', 'Erin', 'sip:erin@127.0.0.1', ''),
];
