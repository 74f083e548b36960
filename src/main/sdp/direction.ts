// RFC 3264 §6.1 / §8.4: a side sends only if it wants to and the other side is willing to receive.
import type { Direction } from './types';

function sends(d: Direction): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function receives(d: Direction): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

function fromFlags(send: boolean, receive: boolean): Direction {
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

/** Our direction given what we want and the direction the peer declared (from its view). */
export function combineDirection(ours: Direction, peers: Direction): Direction {
  return fromFlags(sends(ours) && receives(peers), receives(ours) && sends(peers));
}
