// Call waiting: the calls besides the one on screen (on hold, or still calling out), each with
// "Switch to" (it resumes, the call on screen goes on hold) and "Hang up".
import type { CallInfo } from '../../shared/api';

export interface OtherCallsProps {
  calls: CallInfo[];
  busy: boolean;
  onSwitch(callId: number): void;
  onHangup(callId: number): void;
}

function stateWord(call: CallInfo): string {
  if (call.state === 'held') return 'On hold';
  if (call.state === 'calling' || call.state === 'ringing') return 'Calling…';
  return call.remoteHeld ? 'Holding you' : 'Connected';
}

export function OtherCalls({ calls, busy, onSwitch, onHangup }: OtherCallsProps) {
  if (calls.length === 0) return null;
  return (
    <section className="other-calls" aria-labelledby="other-calls-title">
      <h3 id="other-calls-title">Other calls</h3>
      <ul>
        {calls.map((call) => {
          const who = call.remoteName || call.remoteUri;
          const up = call.state === 'connected' || call.state === 'held';
          return (
            <li key={call.callId} data-state={call.state}>
              <span className="caller-name">{who}</span> <span className="muted">{stateWord(call)}</span>
              <button type="button" disabled={!up || busy} onClick={() => onSwitch(call.callId)} aria-label={`Switch to call with ${who}`}>
                Switch to
              </button>
              <button type="button" className="danger" onClick={() => onHangup(call.callId)} aria-label={`Hang up call with ${who}`}>
                Hang up
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
