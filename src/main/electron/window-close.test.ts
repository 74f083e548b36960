import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { windowCloseAction } from './window-close';

describe('closing the window', () => {
  it('hides to the tray while a tray is shown, and says so the first time only', () => {
    expect(windowCloseAction({ trayShown: true, quitting: false, noticeShown: false })).toEqual({ kind: 'hide', notice: true });
    expect(windowCloseAction({ trayShown: true, quitting: false, noticeShown: true })).toEqual({ kind: 'hide', notice: false });
  });

  it('closes when quitting, and when there is no tray to bring the window back', () => {
    expect(windowCloseAction({ trayShown: true, quitting: true, noticeShown: false })).toEqual({ kind: 'close' });
    expect(windowCloseAction({ trayShown: false, quitting: false, noticeShown: false })).toEqual({ kind: 'close' });
  });

  it('never hides a window that could not be shown again, and never keeps one open while quitting', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (trayShown, quitting, noticeShown) => {
        const a = windowCloseAction({ trayShown, quitting, noticeShown });
        if (a.kind === 'hide') expect(trayShown && !quitting).toBe(true);
        else expect(quitting || !trayShown).toBe(true);
      }),
    );
  });
});
