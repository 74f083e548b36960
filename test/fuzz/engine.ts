// Coverage-guided fuzzing engine for Vouch's parsers (issue 20, "Tests"). Lives in test/fuzz/, not
// a top-level fuzz/: vitest.config.ts, tsconfig.json and the lint already take in test/**, so the
// CI run (fuzz.test.ts) and the typecheck cover it with no config edits.
//
// Why not jazzer.js: 4.0's native part needs glibc 2.38 (Debian 12 has 2.36) and 2.x downloads its
// native part at install. So the coverage loop is built on V8's own block coverage, read in-process
// through node:inspector (Profiler.startPreciseCoverage, callCount + detailed): each input runs the
// target in this isolate, the counts of the target's source files say which blocks it reached,
// and an input reaching a block no earlier input reached joins the corpus.
//
// A coverage take costs milliseconds, so inputs run in batches with one take per batch; a batch
// that reached something new is bisected (halves replayed, one take each) to find the inputs that did.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeRandom, mutate } from './mutate';

export interface FuzzTarget {
  name: string;
  /** Source files or folders (repo-relative) whose blocks count as this target's coverage. */
  sources: string[];
  /** Tokens spliced into inputs: keywords and separators of the format. */
  dictionary: string[];
  /** Largest input tried (bytes). */
  maxLength: number;
  /** Runs one input. A typed error is a pass; a throw (or a rejection) is a crash. */
  run(input: Uint8Array): void | Promise<void>;
  /** Goes through sockets: run.ts runs it only inside a private network namespace (`unshare -n`). */
  netns?: boolean;
  /** Another target whose corpus this one also starts from (same input format). */
  corpusFrom?: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

export interface FuzzStats {
  target: string;
  inputs: number;
  inputsPerSecond: number;
  corpus: number;
  newEntries: number;
  blocks: number;
  functions: number;
  coveredBytes: number;
  crashes: number;
  slowestMs: number;
  seconds: number;
  crashInputs: { error: string; hex: string }[];
}

export interface FuzzOptions {
  seconds: number;
  /** CI: corpus entries found are kept in memory only, nothing is written. */
  readOnly: boolean;
  corpusRoot: string;
  seed?: number;
}

const REPO = resolve(import.meta.dirname, '../..');
/** Inputs per coverage take: grown until the take costs at most a fifth of the batch's time. */
const MIN_BATCH = 16;
const MAX_BATCH = 4096;
const MAX_CRASHES_KEPT = 8;

// --- V8 block coverage ------------------------------------------------------------------------

interface CoverageRange { startOffset: number; endOffset: number; count: number }
interface ScriptCoverage { scriptId: string; url: string; functions: { ranges: CoverageRange[] }[] }

const session = new Session();
session.connect();
function post<T>(method: string, params?: object): T {
  // An in-thread inspector session answers synchronously: the callback has run when post returns.
  let result: T | undefined;
  let error: Error | null = null;
  session.post(method, params, (err: Error | null, r?: object) => {
    error = err;
    result = r as T;
  });
  if (error) throw error;
  if (result === undefined) throw new Error(`inspector gave no answer to ${method}`);
  return result;
}
post('Profiler.enable');
// Started before any target module loads (run.ts imports them after this module): blocks of
// functions compiled earlier could go uncounted.
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

/**
 * What one target's inputs have reached: per function (script:start:end), which characters of its
 * source ran. V8 merges a block into its parent or sibling when their counts are equal, so the
 * ranges a take reports depend on the counts (a batch reports other ranges than its inputs one by
 * one); the characters a block covers do not. Ranges come outermost first, so painting each over
 * the last leaves every character with its innermost block's verdict. Functions get their own map:
 * a parent's range spans its nested functions' text, and those must still count as new when first run.
 */
class CoverageMap {
  private readonly functions = new Map<string, Uint8Array>();
  private readonly ranges = new Set<string>();
  coveredBytes = 0;

  constructor(private readonly urlPrefixes: string[]) {}

  get functionCount(): number {
    return this.functions.size;
  }
  /** V8 block ranges reached at least once (merging makes this a little above the true count). */
  get blockCount(): number {
    return this.ranges.size;
  }

  /** Takes the counts since the last take (which resets them): true when they reach a character no absorbed take did; `absorb` adds them. */
  take(absorb: boolean): boolean {
    const { result } = post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage');
    let fresh = false;
    for (const script of result) {
      if (!this.urlPrefixes.some((p) => script.url.startsWith(p))) continue;
      for (const { ranges } of script.functions) {
        const fn = ranges[0];
        if (!fn || fn.count === 0) continue;
        const key = `${script.scriptId}:${fn.startOffset}:${fn.endOffset}`;
        let seen = this.functions.get(key);
        if (!seen) {
          if (!absorb) return true;
          fresh = true;
          seen = new Uint8Array(fn.endOffset - fn.startOffset);
          this.functions.set(key, seen);
        }
        const reached = new Uint8Array(seen.length);
        for (const r of ranges) {
          reached.fill(r.count > 0 ? 1 : 0, r.startOffset - fn.startOffset, r.endOffset - fn.startOffset);
          if (absorb && r.count > 0) this.ranges.add(`${script.scriptId}:${r.startOffset}:${r.endOffset}`);
        }
        for (let i = 0; i < reached.length; i++) {
          if (reached[i] === 0 || seen[i] === 1) continue;
          if (!absorb) return true;
          fresh = true;
          seen[i] = 1;
          this.coveredBytes++;
        }
      }
    }
    return fresh;
  }
}

// --- Corpus -----------------------------------------------------------------------------------

function loadCorpus(dir: string): Uint8Array[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

function entryName(input: Uint8Array): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

// --- The loop ---------------------------------------------------------------------------------

/** Fuzzes one target for `options.seconds`; never throws for what the target does. */
export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzStats> {
  const prefixes = target.sources.map((s) => pathToFileURL(join(REPO, s)).href);
  const dir = join(options.corpusRoot, target.name);
  const dictionary = target.dictionary.map((t) => new Uint8Array(Buffer.from(t, 'latin1')));
  const rnd = makeRandom(options.seed ?? Date.now());
  const coverage = new CoverageMap(prefixes);
  const corpus: Uint8Array[] = [];
  const crashSignatures = new Set<string>();
  const stats: FuzzStats = { target: target.name, inputs: 0, inputsPerSecond: 0, corpus: 0, newEntries: 0, blocks: 0, functions: 0, coveredBytes: 0, crashes: 0, slowestMs: 0, seconds: 0, crashInputs: [] };

  const crashed = (e: unknown, input: Uint8Array, replay: boolean): void => {
    if (replay) return;
    stats.crashes++;
    const err = e instanceof Error ? e : new Error(String(e));
    // One report per distinct throw site: the message and the first frame of the stack.
    const signature = `${err.message} @ ${err.stack?.split('\n')[1]?.trim() ?? ''}`;
    if (!crashSignatures.has(signature) && stats.crashInputs.length < MAX_CRASHES_KEPT) {
      crashSignatures.add(signature);
      stats.crashInputs.push({ error: signature, hex: Buffer.from(input).toString('hex') });
      if (!options.readOnly) {
        // Beside the corpus, not in it: a crashing input would crash every later run's seeding.
        const crashDir = join(options.corpusRoot, '..', 'crashes', target.name);
        mkdirSync(crashDir, { recursive: true });
        writeFileSync(join(crashDir, `${entryName(input)}.bin`), input);
        writeFileSync(join(crashDir, `${entryName(input)}.txt`), `${signature}\n`);
      }
    }
  };
  /** Runs one input; a promise only for an asynchronous target (sync ones pay no microtask). */
  const runOne = (input: Uint8Array, replay = false): Promise<void> | undefined => {
    if (!replay) stats.inputs++;
    const t0 = performance.now();
    const done = (): void => void (stats.slowestMs = Math.max(stats.slowestMs, performance.now() - t0));
    try {
      const pending = target.run(input);
      if (pending) return pending.then(done, (e: unknown) => (crashed(e, input, replay), done()));
    } catch (e) {
      crashed(e, input, replay);
    }
    done();
    return undefined;
  };
  const keep = (input: Uint8Array, found: boolean): void => {
    corpus.push(input);
    if (!found) return;
    stats.newEntries++;
    if (options.readOnly) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${entryName(input)}.bin`), input);
  };

  /** Which of `inputs` (together known to reach something new) do: halves replayed, one take each. */
  const locate = async (inputs: Uint8Array[]): Promise<void> => {
    if (inputs.length === 1) {
      await runOne(inputs[0], true);
      if (coverage.take(true)) keep(inputs[0], true);
      return;
    }
    const half = inputs.length >> 1;
    for (const part of [inputs.slice(0, half), inputs.slice(half)]) {
      for (const input of part) await runOne(input, true);
      if (coverage.take(false)) await locate(part);
    }
  };

  new CoverageMap([]).take(false); // resets the counters: what ran before is not this target's
  await target.setup?.();
  const seeds = [...loadCorpus(dir), ...(target.corpusFrom ? loadCorpus(join(options.corpusRoot, target.corpusFrom)) : [])];
  for (const seed of seeds) {
    await runOne(seed);
    coverage.take(true);
    keep(seed, false);
  }
  if (corpus.length === 0) keep(new Uint8Array(0), false);

  const t0 = performance.now();
  const deadline = t0 + options.seconds * 1000;
  let batchSize = MIN_BATCH;
  while (performance.now() < deadline) {
    const batch: Uint8Array[] = [];
    const runStart = performance.now();
    for (let i = 0; i < batchSize; i++) {
      const input = mutate(corpus[rnd(corpus.length)], corpus, dictionary, target.maxLength, rnd);
      batch.push(input);
      const pending = runOne(input);
      if (pending) await pending;
    }
    const takeStart = performance.now();
    const fresh = coverage.take(false);
    const takeMs = performance.now() - takeStart;
    if (takeMs * 5 > takeStart - runStart) batchSize = Math.min(MAX_BATCH, batchSize * 2);
    if (fresh) await locate(batch);
  }
  await target.teardown?.();
  stats.seconds = (performance.now() - t0) / 1000;
  stats.inputsPerSecond = Math.round(stats.inputs / Math.max(stats.seconds, 1e-3));
  stats.corpus = corpus.length;
  stats.blocks = coverage.blockCount;
  stats.functions = coverage.functionCount;
  stats.coveredBytes = coverage.coveredBytes;
  return stats;
}
