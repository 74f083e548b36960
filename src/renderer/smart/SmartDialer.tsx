// The dialer connected to AppCore: calls through the `call` command (the audio context is created
// here, inside the click), shows a failure in words beside it, and why the last call ended.
import { useState } from 'react';
import { runCommand } from '../api/session';
import { Dialer } from '../components/Dialer';
import { primeAudio } from '../media/audio-engine';
import { toSipUri } from '../state/dial-address';
import { useHistory, useLastEndedCall, useListening, useRegistration, useSettings, useVerifiedPeers, useVouchStore } from '../state/store';
import { endWords } from '../../shared/end-words';

export function SmartDialer() {
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const registration = useRegistration();
  const listening = useListening();
  const account = useSettings()?.account;
  // Direct-IP mode: no server in the path, so failures name the other computer, not a server.
  const direct = !account || account.directIpOnly || account.server === '';
  const history = useHistory();
  const verifiedPeers = useVerifiedPeers();
  const lastEnded = useLastEndedCall();
  const clearErrors = useVouchStore((s) => s.clearErrors);

  const call = async (typed: string) => {
    const uri = toSipUri(typed);
    if (!uri) return;
    try {
      primeAudio();
    } catch {
      // No audio output here: the call can still be placed and the media error shows later.
    }
    clearErrors('call');
    setBusy(true);
    await runCommand('call', `call ${uri}`, 'call', { uri });
    setBusy(false);
  };

  return (
    <>
      {lastEnded ? (
        <div className="last-call-words">
          <p className="last-call" role="status">
            Call with {lastEnded.remoteName || lastEnded.remoteUri} ended. {endWords(lastEnded, direct).text}
          </p>
          {/* The SIP status and who sent it: for whoever needs it, not in the sentence. */}
          <details className="last-call-details">
            <summary>Details</summary>
            {endWords(lastEnded, direct).detail}
          </details>
        </div>
      ) : null}
      <Dialer
        address={address}
        registration={registration}
        listening={listening}
        history={history}
        verifiedPeers={verifiedPeers}
        busy={busy}
        onAddressChange={setAddress}
        onCall={() => void call(address)}
        onPick={(uri) => {
          setAddress(uri);
          void call(uri);
        }}
      />
    </>
  );
}
