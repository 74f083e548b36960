// `npm run fuzz`: fuzzes every target in targets/ for FUZZ_SECONDS each (default 30), one JSON line
// per target on stdout (inputs, inputs/s, corpus size, blocks covered, crashes with their inputs in
// hex), and exits 1 when any target threw. Environment:
//   FUZZ_SECONDS        seconds per target (default 30)
//   FUZZ_TOTAL_SECONDS  instead: seconds for all targets together, split evenly (the CI run)
//   FUZZ_READONLY=1     new corpus entries stay in memory (CI); otherwise they are written to corpus/
//   FUZZ_TARGETS        comma-separated names to run (default all)
//   FUZZ_SEED           seed for the mutator (default: the time)
// Targets that go through sockets (netns: the SIP UA) run only when this process is in a private
// network namespace holding nothing but lo (`npm run fuzz` starts it under `unshare -rn`): their
// mutated Via and Contact hosts can name any address, and the UA answers and sends BYEs there.
// Elsewhere they are skipped, said so on their JSON line.
// The engine is imported first: it starts V8 coverage before any target's module is compiled.
import { fuzz } from './engine';
import type { FuzzTarget } from './engine';
import { readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
const wanted = process.env.FUZZ_TARGETS?.split(',').filter(Boolean);
const files = readdirSync(join(here, 'targets'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();
const targets: FuzzTarget[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, 'targets', f)).href)) as { target: FuzzTarget };
  if (!wanted || wanted.includes(mod.target.name)) targets.push(mod.target);
}
if (targets.length === 0) throw new Error(`no fuzz targets match ${wanted?.join(',')}`);

const total = Number(process.env.FUZZ_TOTAL_SECONDS);
const seconds = total > 0 ? total / targets.length : Number(process.env.FUZZ_SECONDS ?? 30);
const readOnly = process.env.FUZZ_READONLY === '1';
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const onlyLoopback = Object.keys(networkInterfaces()).every((name) => name === 'lo');
let crashes = 0;
let inputs = 0;
for (const target of targets) {
  if (target.netns && !onlyLoopback) {
    console.log(JSON.stringify({ target: target.name, skipped: 'goes through sockets: run under unshare -rn (npm run fuzz does)' }));
    continue;
  }
  const stats = await fuzz(target, { seconds, readOnly, corpusRoot: join(here, 'corpus'), seed });
  crashes += stats.crashes;
  inputs += stats.inputs;
  console.log(JSON.stringify(stats));
}
console.log(JSON.stringify({ total: true, targets: targets.length, inputs, crashes }));
process.exitCode = crashes > 0 ? 1 : 0;
