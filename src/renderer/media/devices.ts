// The renderer's own device lists, refreshed when a device is plugged in or out
// (navigator.mediaDevices 'devicechange').
import { useEffect, useState } from 'react';
import type { DeviceLists, DeviceOption } from '../components/Settings';

export const EMPTY_DEVICES: DeviceLists = { audioinput: [], audiooutput: [], videoinput: [] };

const KIND_NAMES = { audioinput: 'Microphone', audiooutput: 'Speaker', videoinput: 'Camera' } as const;

/** Groups enumerated devices by kind; devices without a label (no permission yet) get a numbered name. */
export function groupDevices(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>[]): DeviceLists {
  const out: DeviceLists = { audioinput: [], audiooutput: [], videoinput: [] };
  for (const d of devices) {
    if (!(d.kind in out) || !d.deviceId) continue;
    const list: DeviceOption[] = out[d.kind];
    if (list.some((o) => o.id === d.deviceId)) continue;
    list.push({ id: d.deviceId, label: d.label || `${KIND_NAMES[d.kind]} ${list.length + 1}` });
  }
  return out;
}

export function useMediaDevices(): DeviceLists {
  const [devices, setDevices] = useState<DeviceLists>(EMPTY_DEVICES);
  useEffect(() => {
    const media = navigator.mediaDevices;
    if (!media?.enumerateDevices) return;
    let live = true;
    const refresh = () =>
      void media
        .enumerateDevices()
        .then((list) => live && setDevices(groupDevices(list)))
        .catch(() => undefined);
    refresh();
    media.addEventListener('devicechange', refresh);
    return () => {
      live = false;
      media.removeEventListener('devicechange', refresh);
    };
  }, []);
  return devices;
}
