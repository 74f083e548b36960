// The call timeout in the main settings and the advanced network settings folded away: labelled
// fields, hints, errors beside the field they concern.
import { describe, expect, it } from 'vitest';
import { AdvancedNetwork, CallTimeoutField } from './NetworkFields';
import { Settings } from './Settings';
import { settingsProps } from './test-support';
import { html, noop, text } from './render';
import { publicSettings } from '../state/fixtures';
import { networkDraftOf, validateNetwork } from '../state/validate-network';

const draft = () => networkDraftOf(publicSettings());


describe('call timeout', () => {
  it('is a labelled field with its hint, and its error beside it', () => {
    const ok = html(<CallTimeoutField draft={draft()} errors={{}} onChange={noop} />);
    expect(ok).toContain('<label for="network-mediaTimeoutSeconds">End a call after N seconds without media</label>');
    expect(ok).toMatch(/<input id="network-mediaTimeoutSeconds" type="text" inputMode="numeric"[^>]*aria-describedby="network-mediaTimeoutSeconds-hint" name="mediaTimeoutSeconds" value="30"\/>/);
    const errors = validateNetwork({ ...draft(), mediaTimeoutSeconds: '0' });
    const bad = html(<CallTimeoutField draft={{ ...draft(), mediaTimeoutSeconds: '0' }} errors={errors} onChange={noop} />);
    expect(bad).toMatch(/aria-invalid="true" aria-describedby="network-mediaTimeoutSeconds-hint network-mediaTimeoutSeconds-error"/);
    expect(bad).toContain('<p class="field-error" id="network-mediaTimeoutSeconds-error" data-field="mediaTimeoutSeconds">Enter a whole number of seconds from 1 to 3600.</p>');
  });
});

describe('advanced network', () => {
  it('is folded by default and unfolds on request', () => {
    expect(html(<AdvancedNetwork draft={draft()} errors={{}} onChange={noop} open={false} onToggle={noop} />)).toMatch(/^<details class="advanced-network"><summary>Advanced network<\/summary>/);
    expect(html(<AdvancedNetwork draft={draft()} errors={{}} onChange={noop} open onToggle={noop} />)).toMatch(/^<details class="advanced-network" open=""><summary>/);
  });

  it('has every listening option, labelled, with the saved values', () => {
    const d = { ...draft(), sipPort: '5070', sipHost: '192.168.1.23', dnsServers: '192.0.2.53', outboundProxy: 'proxy.example.org;transport=tcp' };
    const out = html(<AdvancedNetwork draft={d} errors={{}} onChange={noop} open onToggle={noop} />);
    for (const [field, label] of [
      ['sipPort', 'SIP port (UDP and TCP)'],
      ['sipTlsPort', 'SIP TLS port'],
      ['sipHost', 'Listen only on this address'],
      ['tlsCertFile', 'TLS certificate file (PEM)'],
      ['tlsKeyFile', 'TLS private key file (PEM)'],
      ['outboundProxy', 'Outbound proxy'],
      ['dnsServers', 'DNS servers'],
      ['keepAliveSeconds', 'Keep-alive to the server every N seconds'],
    ]) {
      expect(out).toContain(`<label for="network-${field}">${label}</label>`);
    }
    expect(out).toMatch(/id="network-sipPort" type="text" inputMode="numeric"[^>]*name="sipPort" value="5070"/);
    expect(out).toContain('value="192.168.1.23"');
    expect(out).toContain('value="proxy.example.org;transport=tcp"');
    expect(out).not.toContain('network-mediaTimeoutSeconds');
  });

  it('shows each error beside its own field', () => {
    const d = { ...draft(), sipHost: 'myhost', tlsCertFile: '/c.pem' };
    const out = html(<AdvancedNetwork draft={d} errors={validateNetwork(d)} onChange={noop} open onToggle={noop} />);
    expect(out).toMatch(/id="network-sipHost"[^>]*aria-invalid="true"/);
    expect(out).toMatch(/data-field="sipHost">Enter an IP address of this computer/);
    expect(out).toMatch(/data-field="tlsKeyFile">Give the private key file too/);
    expect(out).not.toMatch(/data-field="sipPort"/);
  });
});

describe('Settings with the network fields', () => {
  it('shows the call timeout among the main settings and the network options folded', () => {
    const out = html(<Settings {...settingsProps()} />);
    expect(out).toContain('<legend>Calls</legend>');
    expect(out).toContain('<details class="advanced-network"><summary>Advanced network</summary>');
    expect(text(<Settings {...settingsProps({ advancedOpen: true, networkErrors: { sipPort: 'Enter a port from 0 to 65535 (0: any free port).' } })} />)).toContain(
      'SIP port (UDP and TCP) 5060 by default; when it is taken, the next free one. 0: any free port. Enter a port from 0 to 65535 (0: any free port).',
    );
  });
});
