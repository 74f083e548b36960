// Call waiting's list: the calls besides the one on screen. "Switch to" resumes that call (AppCore
// holds the one talking first) and puts it on screen.
import { useState } from 'react';
import { runCommand } from '../api/session';
import { OtherCalls } from '../components/OtherCalls';
import { useVouchStore } from '../state/store';

export function SmartOtherCalls() {
  // The calls record itself (a stable reference) is selected; the list is made here.
  const calls = useVouchStore((s) => s.calls.calls);
  const activeCallId = useVouchStore((s) => s.calls.activeCallId);
  const activate = useVouchStore((s) => s.activate);
  const [busy, setBusy] = useState(false);
  const others = Object.values(calls).filter((c) => c.callId !== activeCallId && c.state !== 'incoming' && c.state !== 'ended');

  const switchTo = async (callId: number) => {
    setBusy(true);
    const ok = await runCommand('call', 'switch calls', 'hold', { callId, on: false });
    if (ok !== undefined) activate(callId);
    setBusy(false);
  };
  const hangup = (callId: number) => void runCommand('call', 'hang up', 'hangup', { callId });

  return <OtherCalls calls={others} busy={busy} onSwitch={(id) => void switchTo(id)} onHangup={hangup} />;
}
