// Call transfer as the three parties see it (RFC 5589 flows over RFC 3515 REFER and RFC 3891
// Replaces): the transferor asks (blind or attended), the transferee places the new call and
// reports it by NOTIFY, the target of an attended transfer lets the new call take the old
// dialog's place. Call waiting's rule lives here too: one call talks, the others are held.
import type { ApiEvent, CallId } from '../../shared/api';
import type { Call } from '../call/call';
import type { SipSession } from '../sip';
import { formatReferTo, serializeReplaces, type ReferTarget } from '../sip/replaces';
import type { ReferProgress } from '../sip/session';
import { CommandError } from './errors';

/** What transfers need from CallManager. */
export interface TransferHost {
  calls(): Iterable<Call>;
  /** Places a call to a SIP URI with extra INVITE headers (Replaces); resolves with the new call. */
  place(target: string, headers: [string, string][]): Promise<Call>;
  emit(e: ApiEvent): void;
}

/**
 * RFC 5589 §6.1: the transferor, not the transferee, normally sends the BYE once NOTIFY says
 * 200; the transferee ends the old call itself only if that BYE has not come by then.
 */
const TRANSFEREE_BYE_GRACE_MS = 1000;

function sessionOf(call: Call): SipSession {
  const s = call.sipSession;
  if (!s || (call.info.state !== 'connected' && call.info.state !== 'held')) {
    throw new CommandError({ code: 'invalid-state', message: `call ${call.id} is not connected` });
  }
  return s;
}

/**
 * Sends REFER on `call` and resolves once the peer accepted it (202). The outcome comes later:
 * a final 2xx NOTIFY ends the call ('transferred', and `alsoEnd` with it); a failure is said as
 * an error event and the call stays.
 */
async function refer(host: TransferHost, call: Call, referTo: string, alsoEnd?: Call): Promise<void> {
  const session = sessionOf(call);
  const onProgress = (p: ReferProgress): void => {
    if (!p.final) return;
    session.off('referProgress', onProgress);
    if (p.status < 300) {
      call.hangupWith('transferred');
      alsoEnd?.hangupWith('transferred');
    } else host.emit({ type: 'error', scope: 'call', callId: call.id, message: `the transfer failed: ${p.status} ${p.reason}`.trim(), code: 'network' });
  };
  session.on('referProgress', onProgress);
  try {
    await session.refer(referTo);
  } catch (e) {
    session.off('referProgress', onProgress);
    throw new CommandError({ code: 'network', message: `the peer refused the transfer: ${(e as Error).message}` });
  }
}

/** Blind transfer: the peer of `call` is asked to call `target` (a SIP URI). */
export function blindTransfer(host: TransferHost, call: Call, target: string): Promise<void> {
  return refer(host, call, formatReferTo(target));
}

/**
 * Attended transfer (RFC 5589 §7): the peer of `call` is asked to call the peer of `other` with
 * Replaces naming our dialog with it, so the new call takes that dialog's place there.
 */
export function attendedTransfer(host: TransferHost, call: Call, other: Call): Promise<void> {
  const otherSession = sessionOf(other);
  const dialog = otherSession.dialogAsSeenByPeer;
  const target = otherSession.remoteTarget;
  if (!dialog || !target) throw new CommandError({ code: 'invalid-state', message: `call ${other.id} has no dialog to hand over` });
  return refer(host, call, formatReferTo(target, { ...dialog, earlyOnly: false }), other);
}

/**
 * The transferee's side (RFC 3515 §2.4.2-§2.4.4): a REFER on `call` places the new call and
 * reports its progress by NOTIFY; once it connects, the old call ends.
 */
export function takeReferrals(host: TransferHost, call: Call, session: SipSession): void {
  session.on('refer', (asked: ReferTarget) => {
    const headers: [string, string][] = asked.replaces ? [['Replaces', serializeReplaces(asked.replaces)]] : [];
    host.place(asked.target, headers).then(
      (placed) => {
        let ringing = false;
        const stop = placed.on('changed', () => {
          const state = placed.info.state;
          if (state === 'ringing' && !ringing) {
            ringing = true;
            session.notifyRefer(180, 'Ringing');
          } else if (state === 'connected') {
            stop();
            session.notifyRefer(200, 'OK');
            setTimeout(() => call.hangupWith('transferred'), TRANSFEREE_BYE_GRACE_MS).unref();
          } else if (state === 'ended') {
            stop();
            session.notifyRefer(placed.info.sipStatus ?? 487, placed.info.sipReason ?? 'Request Terminated');
          }
        });
      },
      (e: unknown) => session.notifyRefer(503, `Service Unavailable (${(e as Error).message})`),
    );
  });
}

/**
 * The target's side (RFC 3891 §3): an incoming call whose INVITE replaces one of our confirmed
 * dialogs is answered without ringing, and the replaced call ends once it is.
 */
export function replacedCall(host: TransferHost, session: SipSession): Call | undefined {
  if (!session.replaces) return undefined;
  for (const c of host.calls()) if (c.sipSession === session.replaces) return c;
  return undefined;
}

/** Call waiting: before `callId` talks (answered or resumed), every other connected call is held. */
export async function holdOthers(calls: Iterable<Call>, callId: CallId): Promise<void> {
  const others = [...calls].filter((c) => c.id !== callId && c.info.state === 'connected');
  await Promise.all(others.map((c) => c.hold(true)));
}
