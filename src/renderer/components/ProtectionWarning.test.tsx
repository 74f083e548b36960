import { describe, it, expect } from 'vitest';
import { ProtectionWarning } from './ProtectionWarning';
import { AdmissionPrompt } from './AdmissionPrompt';
import { html, noop, text } from './render';
import { initialVouchState, reduceEvent } from '../state/vouch-state';

describe('ProtectionWarning', () => {
  it('says in words what was lowered, as an alert', () => {
    const el = (
      <ProtectionWarning
        changes={[
          { setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-unencrypted' },
          { setting: 'autoAnswer', from: false, to: true },
        ]}
        onDismiss={noop}
      />
    );
    expect(html(el)).toContain('role="alert"');
    expect(text(el)).toContain('Call security was lowered from “end-to-end encryption required” to “unencrypted calls allowed”.');
    expect(text(el)).toContain('Auto-answer was turned on');
    expect(text(el)).toContain('If you did not change this, open Settings and change it back.');
  });

  it('renders nothing without changes', () => {
    expect(html(<ProtectionWarning changes={[]} onDismiss={noop} />)).toBe('');
  });

  it('the store keeps the latest change per setting until dismissed', () => {
    let s = reduceEvent(initialVouchState, { type: 'protectionLowered', changes: [{ setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-sdes' }] });
    s = reduceEvent(s, { type: 'protectionLowered', changes: [{ setting: 'mediaSecurity', from: 'allow-sdes', to: 'allow-unencrypted' }] });
    s = reduceEvent(s, { type: 'protectionLowered', changes: [{ setting: 'autoAnswer', from: false, to: true }] });
    expect(s.protectionLowered).toEqual([
      { setting: 'mediaSecurity', from: 'allow-sdes', to: 'allow-unencrypted' },
      { setting: 'autoAnswer', from: false, to: true },
    ]);
  });
});

describe('AdmissionPrompt', () => {
  it('asks about the oldest waiting window with Allow and Deny', () => {
    const el = <AdmissionPrompt requests={[3, 4]} onAnswer={noop} />;
    expect(html(el)).toContain('role="alertdialog"');
    expect(text(el)).toContain('Another window wants to control Vouch.');
    expect(text(el)).toContain('(2 windows are waiting.)');
    expect(text(el)).toMatch(/Allow Deny$/);
  });

  it('renders nothing when nobody waits', () => {
    expect(html(<AdmissionPrompt requests={[]} onAnswer={noop} />)).toBe('');
  });
});
