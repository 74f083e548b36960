// What the app's page received over its API socket during a call: the call states it was told,
// the media frames per stream (binary, wire.ts's 16-byte header) and the last stats event. A test
// that waits for audio prints this when it fails, so the failure says where audio stopped: no
// frames at the page (the worker played nothing out: see the stats' packetsReceived, dropped and
// playout), or frames arrived and the renderer did not play them.
import type { Page, WebSocket } from '@playwright/test';

interface StreamFrames {
  count: number;
  codec: number;
  firstAtMs: number;
  lastAtMs: number;
}

export interface CallTraffic {
  /** One paragraph for a failure message (with the alerts the page shows now). */
  summary(): Promise<string>;
}

/** Call before the page opens the app (the socket is watched from its first message). */
export function watchCallTraffic(page: Page): CallTraffic {
  const t0 = Date.now();
  const states: string[] = [];
  const frames = new Map<number, StreamFrames>();
  let lastStats: unknown;
  const pageErrors: string[] = [];
  let sockets = 0;
  let closed = 0;
  const onText = (text: string): void => {
    let m: { kind?: string; event?: { type?: string; call?: { state?: string }; stats?: unknown } };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    const e = m.kind === 'event' ? m.event : undefined;
    if (e?.type === 'callState' && e.call?.state && states.at(-1)?.split('@')[0] !== e.call.state) states.push(`${e.call.state}@${Date.now() - t0}ms`);
    if (e?.type === 'stats') lastStats = e.stats;
  };
  const onBinary = (b: Buffer): void => {
    if (b.length < 16) return;
    const now = Date.now() - t0;
    const stream = b[2];
    const f = frames.get(stream) ?? { count: 0, codec: b[12], firstAtMs: now, lastAtMs: now };
    f.count++;
    f.lastAtMs = now;
    frames.set(stream, f);
  };
  // The renderer's own failures (a playout or decoder that could not be made) say why it stayed silent.
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`${m.type()} @${Date.now() - t0}ms: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(`pageerror @${Date.now() - t0}ms: ${e.message}`));
  page.on('websocket', (ws: WebSocket) => {
    sockets++;
    ws.on('framereceived', ({ payload }) => (typeof payload === 'string' ? onText(payload) : onBinary(payload)));
    ws.on('close', () => closed++);
  });
  return {
    async summary() {
      const alerts = await page
        .getByRole('alert')
        .allTextContents()
        .catch((e: unknown) => [`(could not read: ${String(e)})`]);
      const media = [...frames].map(([s, f]) => `stream#${s} codec#${f.codec}: ${f.count} frames, ${f.firstAtMs}-${f.lastAtMs} ms`).join('; ');
      return [
        `page API sockets: ${sockets} (${closed} closed), now ${Date.now() - t0} ms`,
        `call states: ${states.join(' -> ') || 'none'}`,
        `media frames to the page: ${media || 'none'}`,
        `last stats: ${lastStats === undefined ? 'none' : JSON.stringify(lastStats)}`,
        `page errors and warnings: ${pageErrors.slice(-10).join(' | ') || 'none'}`,
        `alerts shown: ${alerts.join(' | ') || 'none'}`,
      ].join('\n');
    },
  };
}
