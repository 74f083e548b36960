// What to tell the user outside the window about calls (issue 22): a notification while a call
// rings and the window is in the background, one for a call missed, and when to take them back.
// Pure: the browser shell's renderer shows these as Web Notifications, the Electron app as native
// ones from its main process; neither decides anything itself.
import type { CallId, CallInfo, ContactWithSecurity } from './api';
import { addressKey } from './contact-security';

export type NoticeAction =
  /** `urgent`: stays until acted on (a ringing call), else it may time out like any notification. */
  | { kind: 'show'; tag: string; callId: CallId; title: string; body: string; urgent: boolean }
  | { kind: 'close'; tag: string };

export interface NoticeContext {
  /** The Vouch window has the focus: the ringing screen says it all, nothing more is shown. */
  focused: boolean;
  /** The caller as the user knows them: the contact's name, else the display name, else the address. */
  name: string;
  /** The caller's key changed since it was verified: said in the ringing notice. */
  keyChanged?: boolean;
}

/** The caller as the user knows them (their contact's name, else the display name, else the address), and whether their key changed. */
export function noticeContext(call: Pick<CallInfo, 'remoteUri' | 'remoteName'>, contacts: readonly ContactWithSecurity[], focused: boolean): NoticeContext {
  const key = addressKey(call.remoteUri);
  const contact = contacts.find((c) => addressKey(c.address) === key);
  return { focused, name: contact?.name || call.remoteName || call.remoteUri, keyChanged: contact?.security.level === 'key-changed' };
}

export const incomingTag = (callId: CallId): string => `vouch-incoming-${callId}`;
export const missedTag = (callId: CallId): string => `vouch-missed-${callId}`;

/** Missed as the history counts it: incoming, never answered, not declined here. */
export function isMissed(call: Pick<CallInfo, 'direction' | 'connectedAt' | 'endReason'>): boolean {
  return call.direction === 'incoming' && !call.connectedAt && call.endReason !== 'rejected';
}

/** The notices one call's change brings; `previous` is what was known of the call before (undefined: new). */
export function callNotices(previous: CallInfo | undefined, call: CallInfo, ctx: NoticeContext): NoticeAction[] {
  const actions: NoticeAction[] = [];
  const wasRinging = previous?.state === 'incoming';
  const ringing = call.direction === 'incoming' && call.state === 'incoming';
  if (ringing && !wasRinging && !ctx.focused) {
    actions.push({
      kind: 'show',
      tag: incomingTag(call.callId),
      callId: call.callId,
      title: `${ctx.name} is calling`,
      body: ctx.keyChanged ? 'Their key changed since you verified it.' : 'Open Vouch to answer.',
      urgent: true,
    });
  }
  if (wasRinging && !ringing) actions.push({ kind: 'close', tag: incomingTag(call.callId) });
  if (call.state === 'ended' && previous?.state !== 'ended' && isMissed(call) && !ctx.focused) {
    actions.push({
      kind: 'show',
      tag: missedTag(call.callId),
      callId: call.callId,
      title: `Missed call from ${ctx.name}`,
      body: call.endReason === 'cancelled' ? 'They hung up before you answered. Open Vouch to call back.' : 'Open Vouch to call back.',
      urgent: false,
    });
  }
  return actions;
}
