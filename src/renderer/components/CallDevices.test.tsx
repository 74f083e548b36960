import { describe, it, expect } from 'vitest';
import { CallDevices } from './CallDevices';
import { html, noop } from './render';

const devices = [
  { kind: 'audioinput' as const, id: 'm1', label: 'Headset mic' },
  { kind: 'audioinput' as const, id: 'm2', label: 'Desk mic' },
  { kind: 'videoinput' as const, id: 'c1', label: 'Webcam' },
];

describe('CallDevices', () => {
  it('offers each kind of device with the chosen one selected', () => {
    const out = html(<CallDevices devices={devices} chosen={{ microphoneId: 'm1', speakerId: '', cameraId: '' }} onChoose={noop} />);
    expect(out).toContain('<option value="m1" selected="">Headset mic</option>');
    expect(out).toContain('<option value="c1">Webcam</option>');
    expect(out.match(/<select/g)).toHaveLength(3);
    expect(out).toContain('aria-label="Devices"');
    expect(out).toContain('A new choice applies to this call at once.');
  });

  it('puts each label over its select (named by it) and the device in use under it, read as its description', () => {
    const out = html(<CallDevices devices={devices} chosen={{ microphoneId: 'm1', speakerId: '', cameraId: '' }} inUse={{ microphoneId: 'm1', speakerId: '', cameraId: '' }} onChoose={noop} />);
    expect(out).toMatch(
      /<div class="call-device"><label for="call-device-microphoneId">Microphone<\/label><select id="call-device-microphoneId" aria-describedby="call-device-microphoneId-in-use">.*<\/select><p id="call-device-microphoneId-in-use" class="in-use muted" data-testid="in-use-microphoneId"/,
    );
  });

  it('shows the device the call really uses, which is not the chosen one while a switch failed', () => {
    const out = html(
      <CallDevices devices={devices} chosen={{ microphoneId: 'm2', speakerId: '', cameraId: 'c1' }} inUse={{ microphoneId: 'm1', speakerId: '', cameraId: '' }} onChoose={noop} />,
    );
    expect(out).toContain('<option value="m2" selected="">Desk mic</option>');
    expect(out).toMatch(/data-testid="in-use-microphoneId" data-device-id="m1">In use: Headset mic</);
    expect(out).toMatch(/data-testid="in-use-speakerId" data-device-id="">In use: system default</);
    expect(out).toMatch(/data-testid="in-use-cameraId" data-device-id="">Camera off</);
  });
});
