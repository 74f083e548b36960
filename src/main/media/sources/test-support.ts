// For tests only. Measuring a received tone: Goertzel's algorithm gives the power at one frequency; scanning it
// and interpolating around the peak gives the dominant frequency (tests check the far end heard
// the 1 kHz tone, not noise or a pitch-shifted copy).

/** Power of `samples[start, end)` at `frequencyHz` (Goertzel; unnormalized). */
export function goertzelPower(samples: Int16Array | Float32Array, sampleRate: number, frequencyHz: number, start = 0, end = samples.length): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * The frequency with the most power between `minHz` and `maxHz`. A Hann-windowed block from the
 * middle of the signal (at most `blockSize` samples) is scanned in quarter-bin steps, and a
 * parabola through the peak and its neighbours refines it: without the window, a tone between
 * scan points can sit in a null of the rectangular window and hide behind a sidelobe.
 */
export function dominantFrequency(
  samples: Int16Array | Float32Array,
  sampleRate: number,
  minHz = 50,
  maxHz = sampleRate / 2 - 50,
  blockSize = 2048,
): number {
  const n = Math.min(samples.length, blockSize);
  const offset = Math.floor((samples.length - n) / 2);
  const block = new Float32Array(n);
  for (let i = 0; i < n; i++) block[i] = samples[offset + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  const stepHz = sampleRate / n / 4;
  let bestHz = minHz;
  let best = -1;
  for (let f = minHz; f <= maxHz; f += stepHz) {
    const p = goertzelPower(block, sampleRate, f);
    if (p > best) {
      best = p;
      bestHz = f;
    }
  }
  const left = goertzelPower(block, sampleRate, bestHz - stepHz);
  const right = goertzelPower(block, sampleRate, bestHz + stepHz);
  const denominator = left - 2 * best + right;
  const shift = denominator === 0 ? 0 : (0.5 * (left - right)) / denominator;
  return bestHz + Math.max(-1, Math.min(1, shift)) * stepHz;
}

/** Root mean square level of the samples (16-bit scale). */
export function rms(samples: Int16Array | Float32Array, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}
