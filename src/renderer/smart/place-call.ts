// Places a call from anywhere (contacts, history): the audio context is created inside the
// click, as the dialer does, and a failure shows in words.
import { runCommand } from '../api/session';
import { primeAudio } from '../media/audio-engine';
import { useVouchStore } from '../state/store';

export async function placeCall(uri: string): Promise<boolean> {
  try {
    primeAudio();
  } catch {
    // No audio output here: the call can still be placed and the media error shows later.
  }
  useVouchStore.getState().clearErrors('call');
  return (await runCommand('call', `call ${uri}`, 'call', { uri })) !== undefined;
}
