import { describe, it, expect } from 'vitest';
import { changedDevices, sameDevice, SwitchableDevice } from './device-switch';

/** A device as the switch sees it: opened with an id, closed once. */
class Opened {
  closed = 0;
  constructor(readonly id: string) {}
  close(): void {
    this.closed++;
  }
}

/** An opener whose opens finish when the test says so, in any order; ids starting with "bad" fail. */
function gatedOpener() {
  const pending: { id: string; finish(): void }[] = [];
  const log: string[] = [];
  const open = (id: string) =>
    new Promise<Opened>((resolve, reject) => {
      log.push(`open ${id}`);
      pending.push({ id, finish: () => (id.startsWith('bad') ? reject(new Error(`${id} is unplugged`)) : resolve(new Opened(id))) });
    });
  const finish = async (id: string) => {
    const i = pending.findIndex((p) => p.id === id);
    pending.splice(i, 1)[0].finish();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { open, finish, log };
}

describe('SwitchableDevice', () => {
  it('opens the new device before it closes the one in use, and the call then uses the new one', async () => {
    const g = gatedOpener();
    const mic = new SwitchableDevice(g.open);
    const first = mic.switchTo('mic-1');
    await g.finish('mic-1');
    const one = (await first)!;
    const second = mic.switchTo('mic-2');
    // While mic-2 opens, mic-1 still serves the call.
    expect(mic.device).toBe(one);
    expect(one.closed).toBe(0);
    await g.finish('mic-2');
    const two = (await second)!;
    expect(two.id).toBe('mic-2');
    expect(mic.device).toBe(two);
    expect(mic.id).toBe('mic-2');
    expect(one.closed).toBe(1);
    expect(two.closed).toBe(0);
  });

  it('keeps the device in use when the new one cannot be opened', async () => {
    const g = gatedOpener();
    const mic = new SwitchableDevice(g.open);
    const first = mic.switchTo('mic-1');
    await g.finish('mic-1');
    const one = (await first)!;
    const failed = expect(mic.switchTo('bad-usb')).rejects.toThrow('bad-usb is unplugged');
    await g.finish('bad-usb');
    await failed;
    expect(mic.device).toBe(one);
    expect(mic.id).toBe('mic-1');
    expect(one.closed).toBe(0);
  });

  it('of overlapping switches the latest wins, whichever open finishes first; the other is closed', async () => {
    const g = gatedOpener();
    const cam = new SwitchableDevice(g.open);
    const a = cam.switchTo('cam-a');
    const b = cam.switchTo('cam-b');
    await g.finish('cam-b');
    const bDevice = (await b)!;
    await g.finish('cam-a');
    expect(await a).toBe(bDevice);
    expect(cam.device?.id).toBe('cam-b');
    expect(bDevice.closed).toBe(0);
    expect(g.log).toEqual(['open cam-a', 'open cam-b']);
  });

  it('a device that opens after close() is closed at once; close() closes the one in use', async () => {
    const g = gatedOpener();
    const mic = new SwitchableDevice(g.open);
    const first = mic.switchTo('mic-1');
    await g.finish('mic-1');
    const one = (await first)!;
    const late = mic.switchTo('mic-2');
    mic.close();
    expect(one.closed).toBe(1);
    await g.finish('mic-2');
    expect(await late).toBeNull();
    expect(mic.device).toBeNull();
  });
});

describe('changedDevices', () => {
  it('names each kind whose device changed; "" and "default" are both the system default', () => {
    const before = { microphoneId: 'default', speakerId: '', cameraId: 'cam-1' };
    expect(changedDevices(before, { microphoneId: '', speakerId: 'default', cameraId: 'cam-1' })).toEqual([]);
    expect(changedDevices(before, { microphoneId: 'mic-2', speakerId: '', cameraId: 'cam-2' })).toEqual(['microphoneId', 'cameraId']);
    expect(changedDevices(before, { ...before, speakerId: 'out-2' })).toEqual(['speakerId']);
    expect(sameDevice('mic-1', 'mic-1')).toBe(true);
    expect(sameDevice('mic-1', '')).toBe(false);
  });
});
