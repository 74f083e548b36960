import { describe, it, expect } from 'vitest';
import { SasPanel, spokenSas } from './SasPanel';
import { byLabel } from './element-tree';
import { html, noop, text } from './render';
import { securityInfo } from '../state/fixtures';

describe('SasPanel', () => {
  it('shows a B32 SAS large, spelt out for screen readers, and asks to compare', () => {
    const el = <SasPanel security={securityInfo({ sas: 'k7xq' })} busy={false} onMatches={noop} onMismatch={noop} />;
    const out = html(el);
    expect(out).toContain('<span class="visually-hidden">Security code: K 7 X Q</span><span aria-hidden="true">K7XQ</span>');
    expect(out).toContain('class="sas sas-B32"');
    expect(text(el)).toContain('Read this aloud; does your partner hear the same?');
    expect(out).toContain('>Matches</button>');
    expect(text(el)).toContain("Doesn't match");
    expect(text(el)).not.toContain('Verified');
  });

  it('shows a B256 SAS as its two PGP words', () => {
    // What the engine writes for sashash 0x0000 (src/crypto/zrtp/sas.test.ts); a real call's SAS
    // goes through AppCore to this panel in test/interop/sas-b256.test.ts.
    const el = <SasPanel security={securityInfo({ sas: 'aardvark adroitness', sasType: 'B256' })} busy={false} onMatches={noop} onMismatch={noop} />;
    expect(html(el)).toContain('Security code: aardvark, adroitness</span><span aria-hidden="true">aardvark adroitness</span>');
    expect(spokenSas('a  b', 'B256')).toBe('a, b');
  });

  it('marks a post-quantum call (X1M1) and only that one (issue 25)', () => {
    const base = securityInfo({ state: 'secure' });
    const pq = html(<SasPanel security={{ ...base, details: { ...base.details, keyAgreement: 'X1M1' } }} busy={false} onMatches={noop} onMismatch={noop} />);
    expect(pq).toContain('class="badge post-quantum"');
    expect(html(<SasPanel security={base} busy={false} onMatches={noop} onMismatch={noop} />)).not.toContain('post-quantum');
  });

  it('once verified shrinks to a badge that opens the security details, and no longer asks', () => {
    let opened = 0;
    const el = SasPanel({ security: securityInfo({ state: 'secure', verified: true }), busy: false, onMatches: noop, onMismatch: noop, onShowDetails: () => opened++ });
    expect(html(<>{el}</>)).toContain('<span class="badge verified">Verified</span>');
    expect(html(<>{el}</>)).toContain('class="sas-panel sas-badge"');
    expect(html(<>{el}</>)).not.toContain('Matches');
    (byLabel(el, 'Verified: show security details')?.props.onClick as () => void)();
    expect(opened).toBe(1);
  });

  it('guides by voice: the caller says the first half and listens for the second, with spelling hints', () => {
    const caller = <SasPanel security={securityInfo({ sas: 'k7xq' })} direction="outgoing" busy={false} onMatches={noop} onMismatch={noop} />;
    expect(text(caller)).toContain('You say: K7 (K as in Kilo, 7 (seven))');
    expect(text(caller)).toContain('your partner should say XQ');
    const callee = <SasPanel security={securityInfo({ sas: 'k7xq' })} direction="incoming" busy={false} onMatches={noop} onMismatch={noop} />;
    expect(text(callee)).toContain('You say: XQ (X as in X-ray, Q as in Quebec)');
    expect(text(callee)).toContain('your partner should say K7');
    const b256 = <SasPanel security={securityInfo({ sas: 'aardvark adroitness', sasType: 'B256' })} direction="incoming" busy={false} onMatches={noop} onMismatch={noop} />;
    expect(text(b256)).toContain('You say: adroitness Then listen: your partner should say aardvark');
  });

  it('"How do I say it?" speaks the user\'s own half, only where a system voice exists', () => {
    const spoken: string[] = [];
    const props = { security: securityInfo({ sas: 'k7xq' }), busy: false, onMatches: noop, onMismatch: noop, onSpeak: (h: string) => spoken.push(h) };
    expect(text(<SasPanel {...props} canSpeak={false} />)).not.toContain('How do I say it?');
    const el = SasPanel({ ...props, canSpeak: true, direction: 'incoming' });
    (byLabel(el, 'How do I say it? Speak XQ')?.props.onClick as () => void)();
    expect(spoken).toEqual(['XQ']);
  });

  it('a cache mismatch or a new identity is a full-width warning asking to compare again', () => {
    const security = securityInfo({
      verified: true,
      warnings: [
        { kind: 'cache-mismatch', message: 'The retained secret differs.' },
        { kind: 'new-identity', message: 'sip:bob@x now has ZID b.', previousZid: 'a', zid: 'b' },
      ],
    });
    const el = <SasPanel security={security} busy={false} onMatches={noop} onMismatch={noop} />;
    const out = html(el);
    expect(out.match(/class="warning-banner" role="alert"/g)).toHaveLength(2);
    expect(text(el)).toContain('The keys from earlier calls with this person do not match. The retained secret differs.');
    expect(text(el)).toContain('This address has a new security identity.');
    expect(text(el)).toContain('Compare the code below again');
    expect(out).toContain('>Matches</button>');
    expect(out).not.toContain('badge verified');
  });

  it('renders nothing without a ZRTP SAS (SDES or still securing)', () => {
    expect(html(<SasPanel security={securityInfo({ mode: 'sdes', sas: '' })} busy={false} onMatches={noop} onMismatch={noop} />)).toBe('');
    expect(html(<SasPanel security={securityInfo({ state: 'securing', sas: '' })} busy={false} onMatches={noop} onMismatch={noop} />)).toBe('');
  });
});
