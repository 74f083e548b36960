// A fresh worker opens and closes a throwaway audio stream before any call: it must finish (the
// worker waits for it before saying ready) and leave nothing open behind it.
import { describe, expect, it } from 'vitest';
import { warmCallMedia } from './warm-call';

describe('warmCallMedia', () => {
  it('opens and closes an audio stream with ICE on 127.0.0.1, leaving no socket or timer', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout').length;
    const ms = await warmCallMedia(undefined);
    expect(ms).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
