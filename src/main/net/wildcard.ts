// Listening on every interface: one dual-stack IPv6 socket ("::" takes IPv4 too, as
// IPv4-mapped addresses) where the machine has IPv6, else IPv4's "0.0.0.0" without an error.
import { isIP } from 'node:net';

/** Errors that mean "no IPv6 here", as opposed to "port taken". */
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT', 'EINVAL']);

/** Binds with `bind('::')`, falling back to `bind('0.0.0.0')` where IPv6 is unavailable. */
export async function bindEveryInterface<T>(bind: (host: string) => Promise<T>): Promise<T> {
  try {
    return await bind('::');
  } catch (e) {
    if (!NO_IPV6.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    return bind('0.0.0.0');
  }
}

/** An IPv4 destination as a dual-stack IPv6 socket must be given it. */
export function forDualStack(socketHost: string, dest: string): string {
  return socketHost === '::' && isIP(dest) === 4 ? `::ffff:${dest}` : dest;
}
