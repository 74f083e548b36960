import { describe, expect, it } from 'vitest';
import { playOnSpeaker, routeToSpeaker, type SinkableElement } from './speaker-route';

/** An element that records what was done to it, in order (no audio element outside a browser). */
function element(opts: { canChoose: boolean; failSink?: boolean }): SinkableElement & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    ...(opts.canChoose
      ? {
          setSinkId: async (id: string) => {
            if (opts.failSink) throw new DOMException('Requested device not found', 'NotFoundError');
            log.push(`sink:${id}`);
          },
        }
      : {}),
    play: async () => {
      log.push('play');
    },
  };
}

describe('speaker route', () => {
  it('sets the chosen speaker before playing', async () => {
    const el = element({ canChoose: true });
    await playOnSpeaker(el, 'out-2');
    expect(el.log).toEqual(['sink:out-2', 'play']);
  });

  it("maps 'default' and '' to the system default", async () => {
    const el = element({ canChoose: true });
    expect(await routeToSpeaker(el, 'default')).toBe(true);
    expect(await routeToSpeaker(el, '')).toBe(true);
    expect(el.log).toEqual(['sink:', 'sink:']);
  });

  it('plays on the system default where the speaker cannot be chosen or is gone', async () => {
    const old = element({ canChoose: false });
    expect(await routeToSpeaker(old, 'out-2')).toBe(false);
    await playOnSpeaker(old, 'out-2');
    expect(old.log).toEqual(['play']);
    const gone = element({ canChoose: true, failSink: true });
    await playOnSpeaker(gone, 'unplugged');
    expect(gone.log).toEqual(['play']);
  });
});
