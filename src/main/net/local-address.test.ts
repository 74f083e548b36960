import { describe, it, expect } from 'vitest';
import { LOCAL_ADDRESS_TTL_MS, LocalAddressBook, isLoopback, routeSource, unmapped } from './local-address';

describe('local address per destination', () => {
  it('the routing table says loopback reaches loopback, for IPv4 and IPv6', async () => {
    expect(await routeSource('127.0.0.1')).toBe('127.0.0.1');
    expect(await routeSource('::1')).toBe('::1');
    expect(await routeSource('[::1]')).toBe('::1');
    expect(await routeSource('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('a destination without a route answers undefined instead of throwing or "::"', async () => {
    expect(await routeSource('fe80::1')).toBeUndefined();
  });

  it('strips the IPv4-mapped prefix only from IPv4-mapped addresses', () => {
    expect(unmapped('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapped('::ffff:1')).toBe('::ffff:1');
    expect(unmapped('2001:db8::1')).toBe('2001:db8::1');
    expect(isLoopback('::ffff:127.0.0.2')).toBe(true);
    expect(isLoopback('::')).toBe(false);
  });

  it('caches per destination and refreshes a stale entry in the background', async () => {
    let t = 0;
    const asked: string[] = [];
    const book = new LocalAddressBook(undefined, () => t, (h) => {
      asked.push(h);
      return routeSource(h);
    });
    expect(await book.prime('127.0.0.1')).toBe('127.0.0.1');
    expect(await book.prime('[::1]')).toBe('::1');
    expect(book.has('::1')).toBe(true);
    expect(book.get('127.0.0.1')).toBe('127.0.0.1');
    expect(asked).toEqual(['127.0.0.1', '::1']);
    t += LOCAL_ADDRESS_TTL_MS + 1;
    expect(book.has('127.0.0.1')).toBe(false);
    expect(book.get('127.0.0.1')).toBe('127.0.0.1'); // stale answer at once, lookup started
    expect(asked).toEqual(['127.0.0.1', '::1', '127.0.0.1']);
  });

  it('one lookup for concurrent primes of the same destination', async () => {
    let n = 0;
    const book = new LocalAddressBook(undefined, Date.now, (h) => {
      n++;
      return routeSource(h);
    });
    const [a, b] = await Promise.all([book.prime('127.0.0.1'), book.prime('127.0.0.1')]);
    expect([a, b, n]).toEqual(['127.0.0.1', '127.0.0.1', 1]);
  });

  it('never advertises 0.0.0.0, nor loopback to a loopback-only answer for a loopback peer', async () => {
    const book = new LocalAddressBook(undefined, Date.now, () => Promise.resolve('0.0.0.0'));
    expect(await book.prime('127.0.0.1')).toBe('127.0.0.1');
    expect(await book.prime('::1')).toBe('::1');
  });

  it('says it is busy with 32 lookups in flight, so a burst of new sources does not queue', async () => {
    let release: (v: string) => void = () => undefined;
    const gate = new Promise<string>((r) => (release = r));
    const book = new LocalAddressBook(undefined, Date.now, () => gate);
    const all = Array.from({ length: 32 }, (_, i) => book.prime(`127.0.0.${i + 2}`));
    expect(book.busy).toBe(true);
    release('127.0.0.1');
    await Promise.all(all);
    expect(book.busy).toBe(false);
  });

  it('a pinned host is advertised to everyone without lookups', async () => {
    const book = new LocalAddressBook('127.0.0.1', Date.now, () => Promise.reject(new Error('no lookup expected')));
    expect(book.get('::1')).toBe('127.0.0.1');
    expect(await book.prime('127.0.0.2')).toBe('127.0.0.1');
  });
});
