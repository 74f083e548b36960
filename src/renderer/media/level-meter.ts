// Audio level for the meters: RMS of a block in dBFS, mapped onto 0..1 over a 60 dB range, with
// a fast attack and a slow release so the meter is readable rather than flickering.
export const METER_FLOOR_DB = -60;

export function rmsDbfs(samples: Float32Array | readonly number[]): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/** dBFS onto 0..1: the floor and below is 0, full scale is 1. */
export function dbToMeter(db: number): number {
  if (!(db > METER_FLOOR_DB)) return 0;
  return Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB);
}

export interface LevelSmoother {
  /** Feeds one block's level (0..1) taking `seconds`; returns the level to show. */
  next(level: number, seconds: number): number;
}

/** Attack at once, release at `releasePerSecond` of full scale per second. */
export function createLevelSmoother(releasePerSecond = 1.5): LevelSmoother {
  let shown = 0;
  return {
    next(level, seconds) {
      shown = level >= shown ? level : Math.max(level, shown - releasePerSecond * seconds);
      return shown;
    },
  };
}

/** Level of 16-bit PCM (G.711 decodes to it) on the same 0..1 scale. */
export function pcm16Level(samples: Int16Array): number {
  const f = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) f[i] = samples[i] / 32768;
  return dbToMeter(rmsDbfs(f));
}
