// The call timeout and the advanced network fields: checked as AppCore checks them, and sent
// back only when changed (a changed port, address or TLS file restarts SIP).
import { describe, expect, it } from 'vitest';
import { publicSettings } from './fixtures';
import { settingsDraftOf, settingsPatch } from './settings-draft';
import { advancedHasErrors, isIpAddress, networkDraftOf, networkFieldOf, networkPatch, validateNetwork, type NetworkDraft } from './validate-network';

const base = (): NetworkDraft => networkDraftOf(publicSettings());

describe('network settings draft', () => {
  it('starts from the settings, with the defaults for fields an older AppCore did not send', () => {
    expect(base()).toEqual({ mediaTimeoutSeconds: '30', sipPort: '0', sipTlsPort: '5061', sipHost: '', tlsCertFile: '', tlsKeyFile: '', outboundProxy: '', dnsServers: '', keepAliveSeconds: '25' });
    const s = { ...publicSettings(), dnsServers: ['192.0.2.53', '[2001:db8::53]:5353'], account: { ...publicSettings().account, outboundProxy: 'proxy.example.org' } };
    expect(networkDraftOf(s)).toMatchObject({ dnsServers: '192.0.2.53, [2001:db8::53]:5353', outboundProxy: 'proxy.example.org' });
    expect(validateNetwork(base())).toEqual({});
  });

  it('refuses, field by field, what AppCore refuses', () => {
    const bad: NetworkDraft = {
      mediaTimeoutSeconds: '0',
      sipPort: '65536',
      sipTlsPort: '-1',
      sipHost: 'myhost',
      tlsCertFile: '/etc/vouch/cert.pem',
      tlsKeyFile: '',
      outboundProxy: 'proxy.example.org;transport=sctp',
      dnsServers: '192.0.2.53, dns.example.org',
      keepAliveSeconds: '3601',
    };
    const errors = validateNetwork(bad);
    expect(Object.keys(errors).sort()).toEqual(['dnsServers', 'keepAliveSeconds', 'mediaTimeoutSeconds', 'outboundProxy', 'sipHost', 'sipPort', 'sipTlsPort', 'tlsKeyFile']);
    expect(errors.mediaTimeoutSeconds).toBe('Enter a whole number of seconds from 1 to 3600.');
    expect(errors.dnsServers).toMatch(/^"dns.example.org" is not a DNS server address/);
    expect(validateNetwork({ ...base(), mediaTimeoutSeconds: '1.5' }).mediaTimeoutSeconds).toBeDefined();
    expect(validateNetwork({ ...base(), mediaTimeoutSeconds: '3600', keepAliveSeconds: '0', sipPort: ' 5070 ' })).toEqual({});
    expect(validateNetwork({ ...base(), dnsServers: Array(9).fill('192.0.2.1').join(',') }).dnsServers).toBe('List at most 8 DNS servers.');
  });

  it('accepts the forms AppCore accepts', () => {
    const good = { ...base(), sipHost: '2001:db8::23', outboundProxy: 'sip:[2001:db8::1]:5080;transport=TLS;lr', dnsServers: '127.0.0.1:5353 ::1 [::1]:53', tlsCertFile: '/c.pem', tlsKeyFile: '/k.pem' };
    expect(validateNetwork(good)).toEqual({});
    for (const a of ['192.168.1.23', '::', '::1', 'fe80::1', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8']) expect(isIpAddress(a), a).toBe(true);
    for (const a of ['256.1.1.1', '1.2.3', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1%eth0', 'example.org', '']) expect(isIpAddress(a), a).toBe(false);
  });

  it('the call timeout alone does not unfold the advanced section', () => {
    expect(advancedHasErrors(validateNetwork({ ...base(), mediaTimeoutSeconds: 'x' }))).toBe(false);
    expect(advancedHasErrors(validateNetwork({ ...base(), sipPort: 'x' }))).toBe(true);
  });

  it('patches only what changed; the proxy goes into the account, DNS servers as a list', () => {
    const saved = base();
    expect(networkPatch(saved, saved)).toEqual({});
    expect(networkPatch({ ...saved, mediaTimeoutSeconds: '5', outboundProxy: ' proxy.example.org ', dnsServers: '192.0.2.53,  192.0.2.54' }, saved)).toEqual({
      mediaTimeoutSeconds: 5,
      account: { outboundProxy: 'proxy.example.org' },
      dnsServers: ['192.0.2.53', '192.0.2.54'],
    });
    // Without the saved settings, every field.
    expect(Object.keys(networkPatch(saved)).length).toBe(9);
  });

  it('joins the settings patch: saving devices alone sends no listening field', () => {
    const s = publicSettings();
    const draft = settingsDraftOf(s);
    draft.devices.microphoneId = 'mic1';
    const patch = settingsPatch(draft, s);
    for (const k of ['sipPort', 'sipTlsPort', 'sipHost', 'tlsCertFile', 'tlsKeyFile']) expect(patch, k).not.toHaveProperty(k);
    draft.network = { ...draft.network, sipPort: '5070', outboundProxy: 'p.example.org' };
    expect(settingsPatch(draft, s)).toMatchObject({ sipPort: 5070, account: { displayName: 'Alice', outboundProxy: 'p.example.org' } });
  });

  it("maps AppCore's field names onto the form's", () => {
    expect(networkFieldOf('account.outboundProxy')).toBe('outboundProxy');
    expect(networkFieldOf('dnsServers')).toBe('dnsServers');
    expect(networkFieldOf('mediaTimeoutSeconds')).toBe('mediaTimeoutSeconds');
    expect(networkFieldOf('account.server')).toBeNull();
    expect(networkFieldOf(undefined)).toBeNull();
  });
});
