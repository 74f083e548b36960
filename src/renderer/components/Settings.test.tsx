import { describe, it, expect } from 'vitest';
import { Settings, type SettingsProps } from './Settings';
import { moveItem } from './OrderedChoice';
import { html, text } from './render';
import { settingsProps } from './test-support';

/** A Settings page with one microphone and one camera to choose from. */
function props(patch: Partial<SettingsProps> = {}): SettingsProps {
  return settingsProps({ devices: { audioinput: [{ id: 'mic1', label: 'USB Mic' }], audiooutput: [], videoinput: [{ id: 'cam1', label: 'Webcam' }] }, ...patch });
}

describe('Settings', () => {
  it('lists devices by kind with the system default first', () => {
    const out = html(<Settings {...props()} />);
    expect(out).toMatch(/<label for="device-microphoneId">Microphone<\/label><select id="device-microphoneId">.*System default.*USB Mic/);
    expect(out).toMatch(/<label for="device-cameraId">Camera<\/label>.*Webcam/);
    expect(out).toContain('<label for="device-speakerId">Speaker</label>');
  });

  it('is split into Account, Audio & video, Privacy & security (ZRTP under Advanced), Calls through routers', () => {
    const out = html(<Settings {...props()} />);
    const headings = [...out.matchAll(/<h3 id="settings-[a-z]+">([^<]+)<\/h3>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Account', 'Audio &amp; video', 'Privacy &amp; security', 'Calls through routers']);
    expect(out).toMatch(/<details class="advanced-zrtp"><summary>Advanced: key agreement and security code type<\/summary>.*id="ka-X255".*id="sas-B32".*<\/details>/);
    expect(out.indexOf('id="settings-privacy"')).toBeLessThan(out.indexOf('id="allow-sdes"'));
  });

  it('a device that was unplugged stays selected and is named so', () => {
    const p = props();
    p.draft.devices.microphoneId = 'gone';
    expect(text(<Settings {...p} />)).toContain('Unplugged device');
  });

  it('shows ZRTP options: key agreement order, SAS type, SDES, cache reset', () => {
    const p = props();
    p.draft.sasType = 'B256';
    const out = html(<Settings {...p} />);
    expect(out).toMatch(/<input id="ka-X255" type="checkbox" checked=""\/><label for="ka-X255">X25519 \(X255\)<\/label>/);
    expect(out).toMatch(/<input id="ka-DH2k" type="checkbox"\/>/);
    expect(out).toContain('aria-label="Move NIST P-256 (EC25) up"');
    expect(out).toMatch(/id="sas-B256" type="radio" name="sasType" checked=""/);
    expect(out).toContain('Allow SDES with peers that have no ZRTP');
    expect(out).toContain('Reset ZRTP cache…');
  });

  it('has a Call waiting checkbox that says what it does', () => {
    const p = props();
    expect(html(<Settings {...p} />)).toMatch(/<input id="call-waiting" type="checkbox" aria-describedby="call-waiting-hint"\/><label for="call-waiting">Call waiting<\/label>/);
    p.draft.callWaiting = true;
    expect(html(<Settings {...p} />)).toMatch(/<input id="call-waiting" type="checkbox" aria-describedby="call-waiting-hint" checked=""\/>/);
    expect(html(<Settings {...p} />)).toContain('Off: the second caller hears busy.');
  });

  it('asks before forgetting identities, shows the mic level while testing, and the save status', () => {
    const out = html(<Settings {...props({ confirmingCacheReset: true, micTestLevel: 0.5, status: 'Settings saved.' })} />);
    expect(out).toContain('Yes, forget all identities');
    expect(out).toContain('aria-label="Microphone test level"');
    expect(out).toContain('Stop microphone test');
    expect(out).toMatch(/data-testid="settings-status">Settings saved\.<\/div>/);
  });

  it('the camera preview: a toggle beside the Camera select, the mirrored picture with its name and size, or why not', () => {
    const off = html(<Settings {...props()} />);
    expect(off).toMatch(/<label for="device-cameraId">Camera<\/label><div class="select-with-action"><select id="device-cameraId">.*<\/select><button type="button" aria-pressed="false">Preview camera<\/button><\/div>/);
    expect(off).not.toContain('<video');

    const opening = html(<Settings {...props({ cameraPreview: { state: 'opening' } })} />);
    expect(opening).toContain('aria-pressed="true">Stop camera preview</button>');
    expect(opening).toMatch(/<figure class="camera-preview"><video muted="" autoPlay="" playsInline="" aria-label="Camera preview" data-testid="camera-preview"><\/video><figcaption aria-live="polite">Opening the camera…<\/figcaption><\/figure>/);

    const on = text(<Settings {...props({ cameraPreview: { state: 'on', caption: 'Webcam, 640 × 480' } })} />);
    expect(on).toContain('Webcam, 640 × 480');

    const failed = html(<Settings {...props({ cameraPreview: { state: 'failed', message: 'Could not open the camera: another app may be using the device, or it stopped working.' } })} />);
    expect(failed).toContain('<p class="field-error camera-preview-error" role="alert">Could not open the camera: another app may be using the device, or it stopped working.</p>');
    expect(failed).not.toContain('<video');
    expect(failed).toContain('Stop camera preview');
  });

  it('during a call the camera is the call\'s: no preview, the toggle is disabled and says why', () => {
    const out = html(<Settings {...props({ inCall: true })} />);
    expect(out).toMatch(/<button type="button" aria-pressed="false" disabled="" aria-describedby="camera-preview-in-call">Preview camera<\/button>/);
    expect(out).toContain('<p class="hint" id="camera-preview-in-call">The camera preview is off during a call.</p>');
    expect(out).not.toContain('<video');
  });

  it('moveItem swaps neighbours and ignores moves off the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
