// Transfer the call on screen: to an address (blind: the other side is asked to call it, RFC 3515)
// or to one of the other calls (attended: the two other sides are joined and we leave, RFC 3891).
import type { FormEvent } from 'react';
import type { CallInfo } from '../../shared/api';

export interface TransferControlsProps {
  /** Who the call on screen is with. */
  who: string;
  address: string;
  /** The other calls that are up: each can take this one's place. */
  otherCalls: CallInfo[];
  /** The call on screen is connected or held. */
  enabled: boolean;
  busy: boolean;
  onAddressChange(address: string): void;
  onTransfer(): void;
  onAttended(targetCallId: number): void;
}

export function TransferControls(p: TransferControlsProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (p.address.trim()) p.onTransfer();
  };
  const joinable = p.otherCalls.filter((c) => c.state === 'connected' || c.state === 'held');
  return (
    <details className="transfer">
      <summary>Transfer</summary>
      <form onSubmit={submit} aria-label={`Transfer ${p.who}`}>
        <label htmlFor="transfer-address">Transfer {p.who} to</label>
        <input id="transfer-address" type="text" value={p.address} placeholder="sip:carol@example.org" autoComplete="off" onChange={(e) => p.onAddressChange(e.target.value)} />
        <button type="submit" disabled={!p.enabled || p.busy || !p.address.trim()}>
          Transfer
        </button>
      </form>
      {joinable.length > 0 ? (
        <ul className="transfer-attended" aria-label="Connect to another call">
          {joinable.map((c) => {
            const other = c.remoteName || c.remoteUri;
            return (
              <li key={c.callId}>
                <button type="button" disabled={!p.enabled || p.busy} onClick={() => p.onAttended(c.callId)} aria-label={`Connect ${p.who} with ${other} and leave both calls`}>
                  Connect with {other}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className="muted">The other side is asked to call there; your call ends once they are connected.</p>
    </details>
  );
}
