// Issue 16, "B256 SAS shown differently than specified": a real call between two AppCores that
// prefer B256. The SAS the engine writes (src/crypto/zrtp/sas.ts, the one place it is written)
// reaches the `security` event as two PGP words separated by a space (api.ts SecurityInfo.sas),
// and the SAS panel shows that event's SAS as two words and gives screen readers two words.
import { describe, it, expect, afterEach } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { PGP_WORDS_EVEN, PGP_WORDS_ODD } from '../../src/crypto/zrtp/pgp-words';
import { SasPanel } from '../../src/renderer/components/SasPanel';
import { VouchPeers } from './vouch-peer';
import { securityWhere } from './vouch-events';

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

describe('B256 SAS end to end (engine -> worker -> AppCore event -> SAS panel)', () => {
  it('is two PGP words separated by one space, the same on both sides, shown and spoken as two words', async () => {
    const alice = await peers.start({ autoAnswer: false });
    const bob = await peers.start({ autoAnswer: true });
    for (const p of [alice, bob]) await p.core.invoke('updateSettings', { patch: { zrtp: { sasType: 'B256' } } });
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    const a = await alice.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 15_000);
    const b = await bob.until(securityWhere((s) => s.state === 'secure'), 15_000);
    expect(a.sasType).toBe('B256');
    expect(a.details.sasType).toBe('B256');
    expect(a.sas).toBe(b.sas);
    const words = a.sas.split(' ');
    expect(words).toHaveLength(2);
    expect(PGP_WORDS_EVEN).toContain(words[0]);
    expect(PGP_WORDS_ODD).toContain(words[1]);

    const out = renderToStaticMarkup(createElement(SasPanel, { security: a, busy: false, onMatches: () => undefined, onMismatch: () => undefined }));
    expect(out).toContain(`<span class="visually-hidden">Security code: ${words[0]}, ${words[1]}</span><span aria-hidden="true">${a.sas}</span>`);
    expect(out).toContain('class="sas sas-B256"');
    await alice.core.invoke('hangup', { callId });
  }, 30_000);
});
