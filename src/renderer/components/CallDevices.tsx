// Devices during a call: the microphone, speaker and camera chosen, switchable from the control
// bar. A choice is saved in the settings and the running call switches to it at once (the media
// manager reopens the microphone or camera and moves the speaker); under each choice, the device
// the call really uses, so a device that failed to open does not pass for the one in use.
import type { DeviceSettings, MediaDevice } from '../../shared/api';

export interface CallDevicesProps {
  devices: MediaDevice[];
  chosen: DeviceSettings;
  /** What the call's media really uses ('' = unknown, or the camera is off); absent before media starts. */
  inUse?: DeviceSettings;
  onChoose(kind: keyof DeviceSettings, id: string): void;
}

const ROWS: { kind: keyof DeviceSettings; device: MediaDevice['kind']; label: string }[] = [
  { kind: 'microphoneId', device: 'audioinput', label: 'Microphone' },
  { kind: 'speakerId', device: 'audiooutput', label: 'Speaker' },
  { kind: 'cameraId', device: 'videoinput', label: 'Camera' },
];

function inUseText(kind: keyof DeviceSettings, id: string | undefined, devices: MediaDevice[], device: MediaDevice['kind']): string {
  if (id === undefined) return '';
  if (id === '') return kind === 'cameraId' ? 'Camera off' : 'In use: system default';
  const known = devices.find((d) => d.kind === device && d.id === id);
  return `In use: ${known?.label || (id === 'default' ? 'system default' : 'another device')}`;
}

export function CallDevices({ devices, chosen, inUse, onChoose }: CallDevicesProps) {
  return (
    <section className="call-devices" aria-label="Devices">
      {ROWS.map((r) => (
        <div key={r.kind} className="call-device">
          <label>
            {r.label}{' '}
            <select value={chosen[r.kind]} onChange={(e) => onChoose(r.kind, e.target.value)}>
              <option value="">System default</option>
              {devices
                .filter((d) => d.kind === r.device && d.id !== '')
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label || r.label}
                  </option>
                ))}
            </select>
          </label>{' '}
          <span className="muted" data-testid={`in-use-${r.kind}`} data-device-id={inUse?.[r.kind] ?? ''}>
            {inUseText(r.kind, inUse?.[r.kind], devices, r.device)}
          </span>
        </div>
      ))}
      <p className="muted">A new choice applies to this call at once.</p>
    </section>
  );
}
