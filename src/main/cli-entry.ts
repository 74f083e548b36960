// Process entry of the `vouch` CLI (bin/vouch.js loads the bundle of this file).
import { setFlagsFromString } from 'node:v8';
import { installLastResort } from './last-resort';

// A throw that escapes a handler is logged on stderr and the calls go on (stdout stays JSON lines).
installLastResort();

// V8 compiles a function the first time it runs; a fresh process paid that for the SIP stack and
// the call code between an INVITE and its 180 and 200 (issue 23: each ≤ 2 ms on the first call).
// The CLI's code is compiled whole while it loads, at start-up, off the call path (about 100 ms
// of CPU and 5 MB more at start); lazy compilation is back on before anything else loads, so the
// media worker and later imports compile as usual.
setFlagsFromString('--no-lazy');
const { EXIT, main } = await import('./cli');
setFlagsFromString('--lazy');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ event: 'error', message: e instanceof Error ? e.message : String(e) }) + '\n');
    process.exit(EXIT.failed);
  },
);
