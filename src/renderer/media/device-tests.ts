// Settings' microphone test (a live level from the chosen microphone) and speaker test (the
// ringtone through the chosen output).
import { deviceConstraint } from './audio-engine';
import { createLevelSmoother, dbToMeter, rmsDbfs } from './level-meter';

export interface MicrophoneTest {
  stop(): void;
}

/** Reports the microphone's level (0..1) about 20 times a second until stopped. */
export async function startMicrophoneTest(microphoneId: string, onLevel: (level: number) => void): Promise<MicrophoneTest> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: deviceConstraint(microphoneId) } });
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const block = new Float32Array(analyser.fftSize);
  const smoother = createLevelSmoother();
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(block);
    onLevel(smoother.next(dbToMeter(rmsDbfs(block)), 0.05));
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      for (const t of stream.getTracks()) t.stop();
      void ctx.close();
    },
  };
}

export interface SpeakerTest {
  stop(): void;
}

export async function startSpeakerTest(speakerId: string, soundUrl: string, onEnded: () => void): Promise<SpeakerTest> {
  const audio = new Audio(soundUrl);
  const sink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId !== 'default' && sink.setSinkId) await sink.setSinkId(speakerId);
  audio.addEventListener('ended', onEnded, { once: true });
  await audio.play();
  return {
    stop() {
      audio.pause();
      audio.src = '';
    },
  };
}
