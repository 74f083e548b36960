// The Settings form checks STUN and TURN servers before AppCore does (src/renderer/state/
// ice-draft.ts); whatever the form lets through AppCore must store (src/main/store/settings.ts),
// and a server AppCore takes the form must not refuse. Both sides side by side, as in
// settings-form-agreement.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseServerAddress } from '../src/main/net/ice-servers';
import { defaultSettings, mergeSettings, validateSettings } from '../src/main/store/settings';
import { icePatch, isServerAddress, validateIce, iceHasErrors, type IceDraft } from '../src/renderer/state/ice-draft';

const port = fc.integer({ min: -2, max: 70_000 }).map(String);
const host = fc.oneof(fc.ipV4(), fc.ipV6().map((a) => `[${a}]`), fc.ipV4().map((a) => `[${a}]`), fc.ipV6(), fc.domain(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.[]-% '.split('')), maxLength: 20 }));
const server = fc.oneof(host, fc.tuple(host, port).map(([h, p]) => `${h}:${p}`));

describe('the Settings form and AppCore agree on ICE servers', () => {
  it('on one server address', () => {
    fc.assert(
      fc.property(server, (s) => {
        expect(isServerAddress(s), s).toBe(parseServerAddress(s) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('on a whole draft: what the form lets through, AppCore stores', () => {
    const turn = fc.record({ server, username: fc.oneof(fc.constant(''), fc.string({ maxLength: 8 })), password: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(server, { maxLength: 10 }), fc.array(turn, { maxLength: 10 }), fc.boolean(), (stun, turns, enabled) => {
        const draft: IceDraft = { enabled, stunServers: stun.join(', '), turnServers: turns };
        if (iceHasErrors(validateIce(draft))) return;
        expect(() => validateSettings(mergeSettings(defaultSettings(), { ice: icePatch(draft) }))).not.toThrow();
      }),
    );
  });
});
