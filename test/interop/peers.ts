// Finds the real peers (linphonec, baresip, sipp, kamailio, gst-launch-1.0, ...) that interop tests
// drive. In CI (CI=true, which installs them) a missing peer is a failure; locally the test is
// skipped with a message saying what to install.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(cmd: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/local/sbin', '/sbin']);
  for (const dir of dirs) {
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Returns the command's path, or undefined when it is missing outside CI (the caller skips its
 * tests: `describe.skipIf(!peer)`). In CI a missing peer throws: CI installs every peer.
 */
export function findPeer(cmd: string, debianPackage: string): string | undefined {
  const path = which(cmd);
  if (path) return path;
  const msg = `${cmd} not found: install it with 'apt-get install ${debianPackage}'`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI installs every peer)`);
  console.warn(`skipping: ${msg}`);
  return undefined;
}
