// The routing of sip: links to the call handover, without Electron: argv (Linux, Windows) and
// open-url before and after the window is up (macOS).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OpenedLinks, SIP_SCHEMES, sipUriArgument } from './sip-links';

describe('sip: links', () => {
  it('finds the link among the arguments the desktop entry passes (Exec … %U)', () => {
    expect(sipUriArgument(['/opt/Vouch/vouch', '--no-sandbox', 'sip:alice@example.org'])).toBe('sip:alice@example.org');
    expect(sipUriArgument(['/opt/Vouch/vouch', 'SIPS:bob@example.org;transport=tls'])).toBe('SIPS:bob@example.org;transport=tls');
    expect(sipUriArgument(['/opt/Vouch/vouch', '--data-dir', '/tmp/sip-x', 'https://example.org/sip:a'])).toBeUndefined();
    expect(SIP_SCHEMES).toEqual(['sip', 'sips']);
  });

  it('keeps the last link opened before the window is up, then calls each one at once', () => {
    const links = new OpenedLinks();
    const called: string[] = [];
    expect(links.open('sip:first@example.org')).toBe(true);
    expect(links.open('sips:second@example.org')).toBe(true);
    expect(links.open('https://example.org/')).toBe(false);
    links.attach((uri) => called.push(uri));
    expect(called).toEqual(['sips:second@example.org']);
    links.open('sip:third@example.org');
    expect(called).toEqual(['sips:second@example.org', 'sip:third@example.org']);
  });

  // Near misses included: a scheme that only starts or ends like sip is another scheme.
  const otherSchemeUrl = fc
    .tuple(fc.constantFrom('https', 'http', 'tel', 'mailto', 'file', 'sipx', 'sipsx', 'xsip', 'si'), fc.string({ maxLength: 30 }))
    .map(([scheme, rest]) => `${scheme}:${rest}`);

  it('calls nothing on attach when no link came first, and never a URL of another scheme', () => {
    fc.assert(
      fc.property(fc.array(otherSchemeUrl, { maxLength: 5 }), (urls) => {
        const links = new OpenedLinks();
        const called: string[] = [];
        for (const url of urls) expect(links.open(url)).toBe(false);
        links.attach((uri) => called.push(uri));
        for (const url of urls) links.open(url);
        expect(called).toEqual([]);
      }),
    );
  });
});
