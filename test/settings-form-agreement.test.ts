// The Settings form checks the network fields before AppCore does (src/renderer/state/
// validate-network.ts), so a person sees a wrong value beside its field. Whatever the form lets
// through must be what AppCore stores (src/main/store/settings.ts), or saving fails with an error
// the form did not predict. This file sits outside src/ because it holds both sides side by side.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultSettings, mergeSettings, toPublicSettings, validateSettings } from '../src/main/store/settings';
import { networkDraftOf, networkPatch, validateNetwork, type NetworkDraft, type NetworkField } from '../src/renderer/state/validate-network';

/** AppCore's verdict on the draft's patch: the field it refuses, or null. */
function appCoreRefuses(d: NetworkDraft): string | null {
  try {
    validateSettings(mergeSettings(defaultSettings(), networkPatch(d)));
    return null;
  } catch (e) {
    return (e as { field?: string }).field ?? String(e);
  }
}

const base = (): NetworkDraft => networkDraftOf(toPublicSettings(defaultSettings()));

/** Text made of the characters these fields are written with, and a few that never belong. */
const typed = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.[],; =-_/xyz%'.split('')), maxLength: 24 });
const port = fc.integer({ min: -2, max: 70_000 }).map(String);
const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended());
const server = fc.oneof(address, fc.ipV6().map((a) => `[${a}]`), fc.domain());
/** What a person types: numbers, addresses, address:port, proxies with parameters, lists, junk. */
const value = fc.oneof(
  typed,
  port,
  address,
  fc.domain(),
  fc.tuple(server, port).map(([h, p]) => `${h}:${p}`),
  fc.tuple(fc.constantFrom('', 'sip:', 'SIPS:'), server, fc.constantFrom('', ';transport=tcp', ';transport=TLS;lr', ';transport=sctp', ';x=1=2', ';lr;maddr=a%zz')).map((t) => t.join('')),
  fc.array(fc.oneof(address, fc.tuple(address, port).map(([a, p]) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`))), { maxLength: 10 }).map((l) => l.join(', ')),
);

const FIELDS: NetworkField[] = ['mediaTimeoutSeconds', 'sipPort', 'sipTlsPort', 'sipHost', 'outboundProxy', 'dnsServers', 'keepAliveSeconds'];

describe('the Settings form and AppCore agree on the network fields', () => {
  it('the defaults pass both', () => {
    expect(validateNetwork(base())).toEqual({});
    expect(appCoreRefuses(base())).toBeNull();
  });

  it('examples: what the form takes, AppCore takes', () => {
    const taken: Partial<NetworkDraft>[] = [
      { sipHost: '::ffff:192.0.2.1' },
      { sipHost: '2001:db8::23' },
      { outboundProxy: 'sips:[2001:db8::1]:5061;transport=tls' },
      { outboundProxy: 'proxy.example.org;transport=TCP;lr' },
      { dnsServers: '127.0.0.1:5353 ::1, [::1]:53' },
      { mediaTimeoutSeconds: '3600', keepAliveSeconds: '0', sipPort: '0', sipTlsPort: '65535' },
    ];
    for (const patch of taken) {
      const d = { ...base(), ...patch };
      expect(validateNetwork(d), JSON.stringify(patch)).toEqual({});
      expect(appCoreRefuses(d), JSON.stringify(patch)).toBeNull();
    }
  });

  it('property: a value the form lets through in any one field, AppCore stores', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), value, (field, v) => {
        const d = { ...base(), [field]: v };
        if (validateNetwork(d)[field] !== undefined) return;
        expect(appCoreRefuses(d)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });
});
