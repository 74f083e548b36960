// Changing a device while a call uses it (issue 21): the replacement opens first and only then
// does the device in use close, so a failed open (unplugged, denied) leaves the call on its old
// device; when requests overlap, the latest one wins and any other opened device is closed.
import type { DeviceSettings } from '../../shared/api';

export interface ClosableDevice {
  close(): void;
}

export class SwitchableDevice<T extends ClosableDevice> {
  private current: T | null = null;
  private currentId: string | null = null;
  private generation = 0;
  private closed = false;

  constructor(private readonly open: (id: string) => Promise<T>) {}

  /** The device in use, or null before the first open succeeded (or after close). */
  get device(): T | null {
    return this.current;
  }

  /** The id it was opened with ('' or 'default' for the system's choice). */
  get id(): string | null {
    return this.currentId;
  }

  /**
   * Opens `id` and puts it in use, closing the previous device. Resolves to the device in use
   * afterwards: the new one, or the current one when a later request overtook this one.
   * Rejects (with the device in use unchanged) when `id` cannot be opened.
   */
  async switchTo(id: string): Promise<T | null> {
    const mine = ++this.generation;
    const opened = await this.open(id);
    if (this.closed || mine !== this.generation) {
      opened.close();
      return this.current;
    }
    const previous = this.current;
    this.current = opened;
    this.currentId = id;
    previous?.close();
    return opened;
  }

  /** Stops using the device (a later switchTo opens one again). */
  release(): void {
    this.generation++;
    this.current?.close();
    this.current = null;
    this.currentId = null;
  }

  close(): void {
    this.closed = true;
    this.release();
  }
}

/** '' and 'default' both mean the system's choice. */
export function sameDevice(a: string, b: string): boolean {
  const norm = (id: string) => (id === 'default' ? '' : id);
  return norm(a) === norm(b);
}

/** Which devices a settings change switched: each kind whose id changed. */
export function changedDevices(before: DeviceSettings, after: DeviceSettings): (keyof DeviceSettings)[] {
  return (['microphoneId', 'speakerId', 'cameraId'] as const).filter((k) => !sameDevice(before[k], after[k]));
}
