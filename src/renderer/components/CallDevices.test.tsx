import { describe, it, expect } from 'vitest';
import { CallDevices } from './CallDevices';
import { html, noop } from './render';

describe('CallDevices', () => {
  it('offers each kind of device with the chosen one selected', () => {
    const devices = [
      { kind: 'audioinput' as const, id: 'm1', label: 'Headset mic' },
      { kind: 'videoinput' as const, id: 'c1', label: 'Webcam' },
    ];
    const out = html(<CallDevices devices={devices} chosen={{ microphoneId: 'm1', speakerId: '', cameraId: '' }} onChoose={noop} />);
    expect(out).toContain('<option value="m1" selected="">Headset mic</option>');
    expect(out).toContain('<option value="c1">Webcam</option>');
    expect(out.match(/<select/g)).toHaveLength(3);
    expect(out).toContain('aria-label="Devices"');
  });
});
