import { describe, it, expect } from 'vitest';
import { groupDevices } from './devices';

describe('groupDevices', () => {
  it('groups by kind, names unlabelled devices, skips duplicates and empty ids', () => {
    const lists = groupDevices([
      { kind: 'audioinput', deviceId: 'default', label: 'Default' },
      { kind: 'audioinput', deviceId: 'm1', label: '' },
      { kind: 'audioinput', deviceId: 'm1', label: 'dup' },
      { kind: 'videoinput', deviceId: 'c1', label: 'Webcam' },
      { kind: 'audiooutput', deviceId: '', label: 'hidden' },
    ]);
    expect(lists.audioinput).toEqual([
      { id: 'default', label: 'Default' },
      { id: 'm1', label: 'Microphone 2' },
    ]);
    expect(lists.videoinput).toEqual([{ id: 'c1', label: 'Webcam' }]);
    expect(lists.audiooutput).toEqual([]);
  });
});
