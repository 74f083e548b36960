// Devices during a call: the microphone, speaker and camera chosen, switchable from the control
// bar. A choice is saved in the settings; the camera applies from the next "Add video", the
// microphone and speaker from the next call (the running capture keeps its device).
import type { DeviceSettings, MediaDevice } from '../../shared/api';

export interface CallDevicesProps {
  devices: MediaDevice[];
  chosen: DeviceSettings;
  onChoose(kind: keyof DeviceSettings, id: string): void;
}

const ROWS: { kind: keyof DeviceSettings; device: MediaDevice['kind']; label: string }[] = [
  { kind: 'microphoneId', device: 'audioinput', label: 'Microphone' },
  { kind: 'speakerId', device: 'audiooutput', label: 'Speaker' },
  { kind: 'cameraId', device: 'videoinput', label: 'Camera' },
];

export function CallDevices({ devices, chosen, onChoose }: CallDevicesProps) {
  return (
    <section className="call-devices" aria-label="Devices">
      {ROWS.map((r) => (
        <label key={r.kind}>
          {r.label}{' '}
          <select value={chosen[r.kind]} onChange={(e) => onChoose(r.kind, e.target.value)}>
            <option value="">System default</option>
            {devices
              .filter((d) => d.kind === r.device)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label || r.label}
                </option>
              ))}
          </select>
        </label>
      ))}
      <p className="muted">The camera changes from the next “Add video”; microphone and speaker from the next call.</p>
    </section>
  );
}
