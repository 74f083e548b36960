// c= line fields (RFC 8866 §5.7): nettype SP addrtype SP connection-address. Also used by
// a=rtcp (RFC 3605), which carries the same three fields.
import { isIPv4, isIPv6 } from 'node:net';
import type { AddressType, Connection } from './types';

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
const MULTICAST_SUFFIX = /^(\/(0|[1-9][0-9]{0,2})){1,2}$/;

function validAddress(addrType: AddressType, address: string): boolean {
  const slash = address.indexOf('/');
  const host = slash < 0 ? address : address.slice(0, slash);
  if (slash >= 0 && !MULTICAST_SUFFIX.test(address.slice(slash))) return false;
  if (addrType === 'IP4') return isIPv4(host) || (!host.includes(':') && HOSTNAME.test(host) && !/^[0-9.]+$/.test(host));
  return isIPv6(host) || HOSTNAME.test(host);
}

export function parseConnectionFields(fields: readonly string[]): Connection | string {
  if (fields.length !== 3) return 'a connection needs nettype, addrtype and address';
  const [netType, addrType, address] = fields;
  if (netType !== 'IN') return `unknown nettype ${netType.slice(0, 16)}`;
  if (addrType !== 'IP4' && addrType !== 'IP6') return `unknown addrtype ${addrType.slice(0, 16)}`;
  if (!validAddress(addrType, address)) return `bad ${addrType} address`;
  return { netType, addrType, address };
}

export function formatConnection(c: Connection): string {
  return `${c.netType} ${c.addrType} ${c.address}`;
}

/** The unicast host of a connection address (without a multicast /ttl suffix). */
export function connectionHost(c: Connection): string {
  const slash = c.address.indexOf('/');
  return slash < 0 ? c.address : c.address.slice(0, slash);
}
