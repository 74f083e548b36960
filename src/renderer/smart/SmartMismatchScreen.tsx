// The "codes did not match" screen, shown after the call it ended until closed or called again.
import { runCommand } from '../api/session';
import { MismatchScreen } from '../components/MismatchScreen';
import { useMismatch } from '../state/mismatch';
import { useActiveCall } from '../state/store';

export function SmartMismatchScreen() {
  const notice = useMismatch((s) => s.notice);
  const dismiss = useMismatch((s) => s.dismiss);
  const active = useActiveCall();
  if (!notice || active?.callId === notice.callId) return null;
  return (
    <MismatchScreen
      who={notice.who}
      onClose={dismiss}
      onCallAgain={() => {
        dismiss();
        void runCommand('call', `call ${notice.remoteUri}`, 'call', { uri: notice.remoteUri });
      }}
    />
  );
}
