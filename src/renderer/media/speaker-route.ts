// Plays a sound element (the ringtone, Settings' speaker test) on the speaker the user chose:
// HTMLMediaElement.setSinkId (Audio Output Devices API §2) where the browser has it, the system
// default otherwise. The sink is set before play() so not a blip goes to the wrong speaker.

/** The part of an audio element this needs; setSinkId is missing where the browser cannot choose. */
export interface SinkableElement {
  setSinkId?: (id: string) => Promise<void>;
  play(): Promise<void>;
}

/** Sends the element to the speaker ('' or 'default' = the system default); false where it cannot (no setSinkId, device gone). */
export async function routeToSpeaker(el: SinkableElement, speakerId: string): Promise<boolean> {
  if (!el.setSinkId) return false;
  try {
    await el.setSinkId(speakerId === 'default' ? '' : speakerId);
    return true;
  } catch {
    return false;
  }
}

/** Routes, then plays; a speaker that cannot be chosen leaves the sound on the system default rather than silent. */
export async function playOnSpeaker(el: SinkableElement, speakerId: string): Promise<void> {
  await routeToSpeaker(el, speakerId);
  await el.play();
}

/** A ref callback for the ringing screen's <audio>: rings on the chosen speaker once mounted. */
export function ringOn(speakerId: string): (el: HTMLAudioElement | null) => void {
  return (el) => {
    // A refused autoplay or a vanished device must not break the ringing screen; the screen still rings visually.
    if (el) void playOnSpeaker(el, speakerId).catch(() => undefined);
  };
}
