// The mutator of the fuzzing engine (engine.ts): what libFuzzer's default mutators do, in a few
// lines, over a byte array; text formats get their tokens from each target's dictionary.
/** xorshift32: a seeded generator so a run can be repeated (FUZZ_SEED). */
export function makeRandom(seed: number): (n: number) => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return n <= 0 ? 0 : s % n;
  };
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0d, 0x0a, 0x20, 0x3a, 0x3b, 0x2c, 0x3d, 0x22, 0x5c, 0x25];
const NUMBERS = ['0', '-1', '1', '65535', '65536', '4294967295', '4294967296', '99999999999999999999', '1e9', '0x10', 'NaN'];

/** One to four stacked mutations of `input`: bit flips, edge bytes, byte insert/delete, duplicated ranges, a splice with another corpus entry, dictionary tokens, edge numbers in ASCII digits and in binary length fields. */
export function mutate(input: Uint8Array, corpus: Uint8Array[], dictionary: Uint8Array[], maxLength: number, rnd: (n: number) => number): Uint8Array {
  let b = Array.from(input);
  const rounds = 1 + rnd(4);
  for (let i = 0; i < rounds; i++) {
    const at = rnd(b.length + 1);
    switch (rnd(10)) {
      case 0: // bit flip
        if (b.length) b[rnd(b.length)] ^= 1 << rnd(8);
        break;
      case 1: // interesting byte
        if (b.length) b[rnd(b.length)] = INTERESTING_BYTES[rnd(INTERESTING_BYTES.length)];
        break;
      case 2: // insert random bytes
        b.splice(at, 0, ...Array.from({ length: 1 + rnd(4) }, () => rnd(256)));
        break;
      case 3: // delete a range
        b.splice(at, 1 + rnd(Math.max(1, b.length >> 3)));
        break;
      case 4: {
        // duplicate a range
        const from = rnd(b.length);
        b.splice(at, 0, ...b.slice(from, from + 1 + rnd(32)));
        break;
      }
      case 5: {
        // splice: our head, another entry's tail
        const other = corpus[rnd(corpus.length)];
        b = b.slice(0, at).concat(Array.from(other.subarray(rnd(other.length + 1))));
        break;
      }
      case 6: // insert a dictionary token
      case 7: // overwrite with a dictionary token
        if (dictionary.length) {
          const token = Array.from(dictionary[rnd(dictionary.length)]);
          b.splice(at, rnd(8) === 7 ? token.length : 0, ...token);
        }
        break;
      case 8: {
        // replace a run of ASCII digits with an edge number
        const digits = b.findIndex((c, j) => j >= at && c >= 0x30 && c <= 0x39);
        const start = digits >= 0 ? digits : at;
        let end = start;
        while (end < b.length && b[end] >= 0x30 && b[end] <= 0x39) end++;
        b.splice(start, end - start, ...Buffer.from(NUMBERS[rnd(NUMBERS.length)]));
        break;
      }
      default: {
        // a big-endian 16- or 32-bit field set to an edge value (binary formats' lengths)
        if (b.length < 4) break;
        const p = rnd(b.length - 3);
        const v = [0, 1, 0xffff, 0xffffffff, 0x7fff, 0x8000, b.length, b.length - p][rnd(8)];
        if (rnd(2)) [b[p], b[p + 1]] = [(v >>> 8) & 0xff, v & 0xff];
        else [b[p], b[p + 1], b[p + 2], b[p + 3]] = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
      }
    }
  }
  return Uint8Array.from(b.length > maxLength ? b.slice(0, maxLength) : b);
}
