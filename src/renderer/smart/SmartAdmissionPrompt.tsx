// Connects AdmissionPrompt to the browser shell's control channel (absent in Electron).
import { useEffect, useState } from 'react';
import type { ShellControl } from '../api/client';
import { AdmissionPrompt } from '../components/AdmissionPrompt';

export function SmartAdmissionPrompt({ control }: { control: ShellControl | undefined }) {
  const [requests, setRequests] = useState<number[]>([]);
  useEffect(
    () =>
      control?.onMessage((m) => {
        if (m.type === 'admission-request') setRequests((r) => (r.includes(m.requestId) ? r : [...r, m.requestId]));
        else setRequests((r) => r.filter((id) => id !== m.requestId));
      }),
    [control],
  );
  if (!control) return null;
  return (
    <AdmissionPrompt
      requests={requests}
      onAnswer={(requestId, allow) => {
        control.answerAdmission(requestId, allow);
        setRequests((r) => r.filter((id) => id !== requestId));
      }}
    />
  );
}
