import { describe, it, expect } from 'vitest';
import { ErrorBanner } from './ErrorBanner';
import { AppFrame } from './AppFrame';
import { CallPanel } from './CallPanel';
import { html, noop, text } from './render';

describe('ErrorBanner', () => {
  it('shows each error in words with a labelled dismiss button, in an alert region', () => {
    const el = <ErrorBanner errors={[{ id: 1, scope: 'media', message: 'Could not open the camera: permission was denied.' }]} onDismiss={noop} />;
    expect(html(el)).toContain('role="alert"');
    expect(html(el)).toContain('aria-label="Dismiss: Could not open the camera: permission was denied."');
    expect(text(el)).toContain('Could not open the camera: permission was denied.');
  });

  it('keeps the empty alert region in place so later errors are announced', () => {
    expect(html(<ErrorBanner errors={[]} onDismiss={noop} />)).toBe('<div class="error-banner" role="alert" aria-live="assertive" data-testid="error-banner"></div>');
  });
});

describe('AppFrame and CallPanel', () => {
  it('frame shows the title, connection status and status line', () => {
    const out = html(<AppFrame connection="connected" shell="browser" statusLine="Media worker: round trip 1.00 ms" />);
    expect(out).toContain('<h1>Vouch</h1>');
    expect(out).toContain('aria-label="Connection status">Connected (browser shell)</span>');
    expect(out).toContain('data-testid="status-line" role="status" aria-live="polite">Media worker: round trip 1.00 ms</footer>');
  });

  it('the call panel is a region named Call', () => {
    expect(html(<CallPanel />)).toContain('<section class="panel call-panel" aria-label="Call"><h2>Call</h2><p class="muted">No call.</p></section>');
  });
});
