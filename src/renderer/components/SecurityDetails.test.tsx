import { describe, it, expect } from 'vitest';
import { SecurityDetails } from './SecurityDetails';
import { html, text } from './render';
import { securityInfo } from '../state/fixtures';

describe('SecurityDetails', () => {
  it('names the negotiated ZRTP algorithms', () => {
    const el = <SecurityDetails security={securityInfo({ perStream: { audio: { state: 'secure', multistream: false }, video: { state: 'secure', multistream: true } } })} />;
    const t = text(el);
    expect(t).toContain('Protection ZRTP: end-to-end encrypted');
    expect(t).toContain('Key agreement X25519 (X255)');
    expect(t).toContain('Cipher AES-128 (AES1)');
    expect(t).toContain('Hash SHA-256 (S256)');
    expect(t).toContain('Authentication tag HMAC-SHA1, 80-bit tag (HS80)');
    expect(t).toContain('SAS type 4 characters (B32)');
    expect(t).toContain('Video stream secure (multistream)');
    expect(t).toContain('Quantum resistance classic');
  });

  it('says post-quantum for X1M1 (issue 25)', () => {
    const base = securityInfo();
    const t = text(<SecurityDetails security={{ ...base, details: { ...base.details, keyAgreement: 'X1M1', hash: 'S512', cipher: 'AES3' } }} />);
    expect(t).toContain('Quantum resistance post-quantum (X25519 + ML-KEM-512)');
    expect(t).toContain('Key agreement X25519 + ML-KEM-512 hybrid (X1M1)');
    expect(t).toContain('Hash SHA-512 (S512)');
  });

  it('SDES says encrypted, not end-to-end, even when folded', () => {
    const el = <SecurityDetails security={securityInfo({ mode: 'sdes', sas: '', sasType: '' })} />;
    expect(html(el)).toContain('<summary>Security details — encrypted, not end-to-end</summary>');
    expect(text(el)).toContain('SDES: encrypted, not end-to-end.');
  });

  it('a refused downgrade is shown outside the folded details', () => {
    const el = <SecurityDetails security={securityInfo({ warnings: [{ kind: 'policy-refused', message: 'A server tried to weaken encryption: re-INVITE refused (488).', sipStatus: 488 }] })} />;
    expect(html(el)).toMatch(/^<p class="warning-banner" role="alert" data-kind="policy-refused">A server tried to weaken encryption/);
  });
});
