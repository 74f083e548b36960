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
      <div className="call-devices-grid">
        {ROWS.map((r) => {
          const id = `call-device-${r.kind}`;
          return (
            <div key={r.kind} className="call-device">
              <label htmlFor={id}>{r.label}</label>
              <select id={id} value={chosen[r.kind]} aria-describedby={`${id}-in-use`} onChange={(e) => onChoose(r.kind, e.target.value)}>
                <option value="">System default</option>
                {devices
                  .filter((d) => d.kind === r.device && d.id !== '')
                  .map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.label || r.label}
                    </option>
                  ))}
              </select>
              <p id={`${id}-in-use`} className="in-use muted" data-testid={`in-use-${r.kind}`} data-device-id={inUse?.[r.kind] ?? ''}>
                {inUseText(r.kind, inUse?.[r.kind], devices, r.device)}
              </p>
            </div>
          );
        })}
      </div>
      <p className="hint">A new choice applies to this call at once.</p>
    </section>
  );
}
