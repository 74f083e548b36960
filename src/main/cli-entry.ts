// Process entry of the `vouch` CLI (bin/vouch.js loads the bundle of this file).
import { EXIT, main } from './cli';
import { installLastResort } from './last-resort';

// A throw that escapes a handler is logged on stderr and the calls go on (stdout stays JSON lines).
installLastResort();

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ event: 'error', message: e instanceof Error ? e.message : String(e) }) + '\n');
    process.exit(EXIT.failed);
  },
);
