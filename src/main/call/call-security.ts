// What the user sees of a call's protection (SecurityInfo), built from the worker's ZRTP reports
// and from the keys each stream started with, and the fallback when the peer has no ZRTP.
// Security state only goes up within a call (ARCHITECTURE.md).

import type { EndReason, MediaSecurityPolicy, SecurityInfo, SecurityWarning, StreamKind } from '../../shared/api';
import type { ActiveStream } from '../sdp';
import type { ZrtpReport } from '../media/worker-protocol';
import type { CallDeps, CallEvent } from './call-events';
import { securityLabel } from './security-policy';

/** Without a ZRTP Hello by then, a peer does not speak ZRTP (RFC 6189 §4.1 leaves the time open). */
export const ZRTP_HELLO_TIMEOUT_MS = 5000;
/** Warnings kept per call (see warn()). */
const MAX_WARNINGS = 16;

/** What the security part needs from the rest of its call. */
export interface SecurityContext {
  /** The SIP address the peer's identity (ZID) is recorded under. */
  remoteAddress(): string;
  policy(): MediaSecurityPolicy;
  ended(): boolean;
  /** The peer's SDP carried a=zrtp-hash on an active stream (RFC 6189 §8.1). */
  peerOfferedZrtpHash(): boolean;
  /** Re-offers every stream with SDES keys, when the call is up; false when it is not, or the peer refused. */
  reofferWithSdes(): Promise<boolean>;
  /** Every started stream goes on unencrypted. */
  rekeyPlain(): void;
  hangupWith(reason: EndReason): void;
}

export class CallSecurity {
  readonly info: SecurityInfo;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  /** The peer turned out to have no ZRTP, and the policy has been applied to that. */
  private noZrtpHandled = false;
  /** The worker saw a ZRTP Hello from the peer on some stream. */
  private helloSeen = false;

  constructor(
    callId: number,
    private readonly identities: CallDeps['identities'],
    private readonly notify: (e: CallEvent) => void,
    private readonly ctx: SecurityContext,
  ) {
    this.info = {
      callId,
      mode: 'zrtp',
      state: 'none',
      sas: '',
      sasType: '',
      verified: false,
      label: securityLabel('zrtp'),
      peerZid: '',
      details: { keyAgreement: '', cipher: '', hash: '', authTag: '', sasType: '', srtpSuite: '' },
      perStream: {},
      warnings: [],
    };
  }

  /** A negotiated stream started in the worker, keyed as its answer says. */
  streamStarted(kind: StreamKind, s: ActiveStream): void {
    if (s.security !== 'zrtp') return this.noteKeying(kind, s);
    // ZRTP may have finished already (the peer's Hello came before its 200 OK): never step a
    // stream's security back down.
    this.info.perStream[kind] ??= { state: 'securing', multistream: kind !== 'audio' };
    if (kind === 'audio' && this.info.state === 'none') {
      this.info.state = 'securing';
      this.armHelloTimer();
    }
    this.changed();
  }

  streamClosed(kind: StreamKind): void {
    delete this.info.perStream[kind];
  }

  /** A stream keyed by SDES (or left plain): what the user sees. */
  noteKeying(kind: StreamKind, s: ActiveStream): void {
    const sec = this.info;
    sec.mode = s.security;
    sec.label = securityLabel(s.security);
    sec.state = s.security === 'sdes' ? 'secure' : 'none';
    // The suite the SDES answer settled on (RFC 4568 §7.1.2), shown like ZRTP's.
    if (kind === 'audio' && s.sdes) sec.details.srtpSuite = s.sdes.local.suite;
    sec.perStream[kind] = { state: sec.state, multistream: false };
    this.changed();
  }

  setVerified(verified: boolean): void {
    const sec = this.info;
    sec.verified = verified;
    if (sec.peerZid) this.identities.setVerified(sec.peerZid, verified);
    if (verified) sec.warnings = sec.warnings.filter((w) => w.kind !== 'cache-mismatch' && w.kind !== 'new-identity');
    this.changed();
  }

  /** The call ended: no fallback any more. */
  stop(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
  }

  /**
   * A hostile server can send refusable re-INVITEs without end, and every security event carries
   * the whole list: a repeated warning moves to the end instead of piling up, and the list stays
   * bounded (the oldest go first, never a new-identity or cache-mismatch the user must act on).
   */
  warn(w: SecurityWarning): void {
    const list = this.info.warnings;
    const same = list.findIndex((x) => x.kind === w.kind && x.message === w.message);
    if (same >= 0) list.splice(same, 1);
    list.push(w);
    if (list.length > MAX_WARNINGS) {
      const oldest = list.findIndex((x) => x.kind !== 'new-identity' && x.kind !== 'cache-mismatch');
      if (oldest >= 0) list.splice(oldest, 1);
    }
    this.changed();
  }

  onZrtp(stream: StreamKind, r: ZrtpReport): void {
    const sec = this.info;
    switch (r.kind) {
      case 'helloSeen':
        this.helloSeen = true;
        return;
      case 'peerZid': {
        sec.peerZid = r.peerZid;
        const address = this.ctx.remoteAddress();
        const previous = this.identities.recordIdentity(address, r.peerZid);
        if (previous) {
          sec.verified = false;
          this.warn({ kind: 'new-identity', message: `${address} answered with a new security identity: compare the SAS again.`, previousZid: previous, zid: r.peerZid });
        }
        return;
      }
      case 'sasReady':
        if (stream !== 'audio') return;
        sec.sas = r.sas;
        sec.sasType = r.sasType === 'B256' ? 'B256' : 'B32';
        sec.state = 'sas-ready';
        if (!this.identityInDoubt()) sec.verified = r.verified;
        this.notify({ type: 'mark', what: 'sasReady' });
        this.changed();
        return;
      case 'secure':
        sec.perStream[stream] = { state: 'secure', multistream: r.multistream };
        if (stream === 'audio') {
          sec.state = 'secure';
          sec.sas = r.sas;
          sec.sasType = r.sasType === 'B256' ? 'B256' : 'B32';
          sec.peerZid = r.peerZid;
          sec.details = { keyAgreement: r.keyAgreement, cipher: r.cipher, hash: r.hash, authTag: r.authTag, sasType: sec.sasType, srtpSuite: r.srtpSuite };
          // A SAS the user confirmed while the handshake finished stays confirmed.
          if (!this.identityInDoubt()) sec.verified = sec.verified || r.verified;
          if (r.helloHashMatched === false) this.warn({ kind: 'hello-hash-mismatch', message: "the peer's ZRTP Hello does not match the hash in its SDP" });
        } else {
          this.notify({ type: 'mark', what: 'videoSecure' });
        }
        this.changed();
        return;
      case 'cacheMismatch':
        sec.verified = false;
        this.warn({ kind: 'cache-mismatch', message: 'the shared secret from earlier calls did not match: possible man in the middle, compare the SAS again.' });
        return;
      case 'helloHashMismatch':
        this.warn({ kind: 'hello-hash-mismatch', message: "the peer's ZRTP Hello does not match the a=zrtp-hash in its SDP" });
        return;
      case 'error':
        if (stream === 'audio' && sec.state !== 'secure') sec.state = 'failed';
        this.warn({ kind: 'zrtp-error', message: `ZRTP ${r.sentByPeer ? 'peer' : 'local'} error 0x${r.code.toString(16)}: ${r.reason}` });
        if (stream !== 'audio' || sec.state !== 'failed') return;
        // Our Hellos went unanswered: the peer has no ZRTP (SDES or plain may follow, by policy).
        // A peer that spoke ZRTP and failed it gets no second chance at a weaker protection.
        if (!this.peerSpokeZrtp()) void this.onNoZrtp();
        else if (!this.helloSeen && sec.peerZid === '') this.endWithoutMedia();
        else this.refuseStalledZrtp(`failed (${r.reason})`);
        return;
    }
  }

  private changed(): void {
    this.notify({ type: 'securityChanged' });
  }

  private identityInDoubt(): boolean {
    return this.info.warnings.some((w) => w.kind === 'new-identity' || w.kind === 'cache-mismatch');
  }

  private armHelloTimer(): void {
    if (this.helloTimer) return;
    this.helloTimer = setTimeout(() => void this.onNoZrtp(), ZRTP_HELLO_TIMEOUT_MS);
  }

  /**
   * The peer has shown it speaks ZRTP: a Hello in the media path, or a=zrtp-hash in its SDP
   * (RFC 6189 §8.1). From then on a handshake that does not finish is an attack or a fault, never
   * a reason to fall back to SDES or plain RTP: someone on the path who drops Commit must not be
   * able to turn the call into one whose keys servers can read.
   */
  private peerSpokeZrtp(): boolean {
    return this.helloSeen || this.info.peerZid !== '' || this.ctx.peerOfferedZrtpHash();
  }

  /**
   * No ZRTP Hello came: the peer does not speak ZRTP. With SDES allowed, re-offer the streams
   * with SDES keys (protection goes up from nothing); with plain RTP allowed, go on unencrypted;
   * otherwise, or when the SDES re-offer fails, end the call (ARCHITECTURE.md: encryption is
   * required by default).
   */
  private async onNoZrtp(): Promise<void> {
    const sec = this.info;
    if (sec.sas || this.ctx.ended() || this.noZrtpHandled) return;
    if (this.peerSpokeZrtp() && !this.helloSeen && sec.peerZid === '') return this.endWithoutMedia();
    if (this.peerSpokeZrtp()) return this.refuseStalledZrtp(`did not finish within ${ZRTP_HELLO_TIMEOUT_MS / 1000} s`);
    this.noZrtpHandled = true;
    this.stop();
    const policy = this.ctx.policy();
    sec.state = 'failed';
    sec.warnings.push({ kind: 'zrtp-error', message: 'the peer did not start ZRTP: this call cannot be encrypted end to end.' });
    this.changed();
    // An SDES re-offer is RTP/SAVP: a peer without SRTP would reject the stream outright, so a
    // user who allowed plain RTP keeps the call plain instead of risking its audio.
    if (policy === 'allow-sdes' && (await this.ctx.reofferWithSdes()) && sec.mode === 'sdes') return;
    if (policy === 'allow-unencrypted' && !this.ctx.ended()) {
      this.ctx.rekeyPlain();
      sec.mode = 'none';
      sec.label = securityLabel('none');
      sec.state = 'none';
      this.changed();
      return;
    }
    this.ctx.hangupWith('security-refused');
  }

  /** A ZRTP handshake the peer started did not finish: end the call, never downgrade it. */
  private refuseStalledZrtp(why: string): void {
    if (this.ctx.ended()) return;
    this.noZrtpHandled = true;
    this.stop();
    this.info.state = 'failed';
    this.warn({ kind: 'zrtp-error', message: `the peer speaks ZRTP but the handshake ${why}: the call was ended rather than continued with weaker protection (something in the path may be blocking ZRTP).` });
    this.ctx.hangupWith('security-refused');
  }

  /**
   * The peer's SDP promised ZRTP, yet not one packet of it arrived: the media path itself is
   * blocked (both sides behind NATs that map per destination, or a firewall), not the handshake.
   * Without ICE/TURN there is no other path: say so, and still refuse any weaker protection.
   */
  private endWithoutMedia(): void {
    if (this.ctx.ended()) return;
    this.noZrtpHandled = true;
    this.stop();
    this.info.state = 'failed';
    this.warn({
      kind: 'zrtp-error',
      message:
        'no media reached us from the other side, although it speaks ZRTP: a NAT or firewall between you blocks a direct connection (calls through such networks need a relay), or something in the path drops it. The call was ended rather than continued with weaker protection.',
    });
    this.changed();
    this.ctx.hangupWith('security-refused');
  }
}
