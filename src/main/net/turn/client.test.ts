// The TURN client driven in memory with a fake clock (no sockets): a scripted server answers
// with messages built by the real STUN codec and signed with the real long-term key.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AttributeType,
  StunMethod,
  checkMessageIntegrity,
  decodeChannelNumber,
  decodeLifetime,
  decodeRequestedTransport,
  decodeText,
  decodeXorMappedAddress,
  encodeErrorCode,
  encodeLifetime,
  encodeText,
  encodeXorMappedAddress,
  getAttribute,
  longTermKey,
  parseMessage,
  serializeMessage,
  serializeSigned,
} from '../stun';
import type { StunAttributeInit, StunMessage } from '../stun';
import { encodeChannelData } from './channel-data';
import { TurnClient } from './client';
import type { TurnClientOptions, TurnEvent } from './client';

const SERVER = { family: 'IPv4', address: '198.51.100.1', port: 3478 } as const;
const RELAYED = { family: 'IPv4', address: '198.51.100.1', port: 50000 } as const;
const MAPPED = { family: 'IPv4', address: '203.0.113.9', port: 41000 } as const;
const PEER = { family: 'IPv4', address: '192.0.2.77', port: 6000 } as const;
const KEY = longTermKey('alice', 'vouch.test', 'secret');

let counter = 0;
/** Deterministic "random" bytes: distinct transaction ids, reproducible runs. */
const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? ++counter & 0xff : (counter >> 8) & 0xff));

function client(options: Partial<TurnClientOptions> = {}): TurnClient {
  return new TurnClient({ server: SERVER, username: 'alice', password: 'secret', transport: 'udp', now: 0, random, ...options });
}

function transmits(c: TurnClient): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let t = c.pollTransmit(); t; t = c.pollTransmit()) out.push(t);
  return out;
}

function requests(c: TurnClient): StunMessage[] {
  return transmits(c).map((t) => {
    const r = parseMessage(t);
    if (!r.ok) throw new Error(`client sent a non-STUN message: ${r.error}`);
    return r.message;
  });
}

function events(c: TurnClient): TurnEvent[] {
  const out: TurnEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

function text(m: StunMessage, type: number): string | undefined {
  const a = getAttribute(m, type);
  return a && decodeText(a.value, 763);
}

/** Signed with the long-term key unless `key` is null. */
function answer(req: StunMessage, cls: 'success' | 'error', attributes: StunAttributeInit[], key: Uint8Array | null = KEY): Uint8Array {
  const init = { method: req.method, cls, transactionId: req.transactionId, attributes };
  return key ? serializeSigned(init, { integrity: key }) : serializeMessage(init);
}

function challenge(req: StunMessage, code = 401, nonce = 'nonce-1'): Uint8Array {
  return answer(
    req,
    'error',
    [
      { type: AttributeType.ErrorCode, value: encodeErrorCode({ code, reason: code === 401 ? 'Unauthorized' : 'Stale Nonce' }) },
      { type: AttributeType.Realm, value: encodeText('vouch.test', 763) },
      { type: AttributeType.Nonce, value: encodeText(nonce, 763) },
    ],
    null,
  );
}

/** `key` null: unsigned. */
function allocateOk(req: StunMessage, lifetime = 600, key: Uint8Array | null = KEY): Uint8Array {
  return answer(
    req,
    'success',
    [
      { type: AttributeType.XorRelayedAddress, value: encodeXorMappedAddress(RELAYED, req.transactionId) },
      { type: AttributeType.XorMappedAddress, value: encodeXorMappedAddress(MAPPED, req.transactionId) },
      { type: AttributeType.Lifetime, value: encodeLifetime(lifetime) },
    ],
    key,
  );
}

/** Allocates through the 401 challenge; returns the client at `now` = 10 ms, allocated. */
function allocated(options: Partial<TurnClientOptions> = {}): TurnClient {
  const c = client(options);
  const [first] = requests(c);
  c.handleInput(challenge(first), 5);
  const [second] = requests(c);
  c.handleInput(allocateOk(second), 10);
  expect(events(c)).toMatchObject([{ type: 'allocated' }]);
  return c;
}

describe('TURN client: Allocate with long-term credentials (RFC 8656 §7.2, RFC 8489 §9.2)', () => {
  it('asks unauthenticated first, then answers the 401 with USERNAME, REALM, NONCE and a verifying MESSAGE-INTEGRITY', () => {
    const c = client();
    const [first] = requests(c);
    expect(first.method).toBe(StunMethod.Allocate);
    expect(decodeRequestedTransport(getAttribute(first, AttributeType.RequestedTransport)!.value)).toBe(17);
    expect(getAttribute(first, AttributeType.MessageIntegrity)).toBeUndefined();
    c.handleInput(challenge(first), 5);
    const [second] = requests(c);
    expect(Array.from(second.transactionId)).not.toEqual(Array.from(first.transactionId));
    expect([text(second, AttributeType.Username), text(second, AttributeType.Realm), text(second, AttributeType.Nonce)]).toEqual([
      'alice',
      'vouch.test',
      'nonce-1',
    ]);
    expect(checkMessageIntegrity(second, KEY)).toBe('valid');
    c.handleInput(allocateOk(second, 600), 10);
    expect(events(c)).toEqual([{ type: 'allocated', relayed: RELAYED, mapped: MAPPED, lifetime: 600 }]);
    expect(c.state).toBe('allocated');
    expect(c.relayed).toEqual(RELAYED);
  });

  it('retries with the new nonce after 438 Stale Nonce', () => {
    const c = client();
    c.handleInput(challenge(requests(c)[0]), 1);
    c.handleInput(challenge(requests(c)[0], 438, 'nonce-2'), 2);
    const [third] = requests(c);
    expect(text(third, AttributeType.Nonce)).toBe('nonce-2');
    c.handleInput(allocateOk(third), 3);
    expect(events(c)).toMatchObject([{ type: 'allocated' }]);
  });

  it("reports 'turn-auth' when the server answers 401 to our credentials", () => {
    const c = client({ password: 'wrong' });
    c.handleInput(challenge(requests(c)[0]), 1);
    c.handleInput(challenge(requests(c)[0]), 2);
    expect(events(c)).toEqual([{ type: 'error', reason: 'turn-auth', code: 401 }]);
    expect(c.state).toBe('failed');
    expect(c.nextTimeout()).toBeUndefined();
  });

  it('ignores a success whose MESSAGE-INTEGRITY does not verify (a forgery); the real answer still counts', () => {
    const c = client();
    c.handleInput(challenge(requests(c)[0]), 1);
    const [second] = requests(c);
    c.handleInput(allocateOk(second, 600, longTermKey('alice', 'vouch.test', 'guess')), 2);
    c.handleInput(allocateOk(second, 600, null), 2);
    expect(events(c)).toEqual([]);
    c.handleInput(allocateOk(second), 3);
    expect(events(c)).toMatchObject([{ type: 'allocated' }]);
  });

  it("retransmits over UDP at 0, 500, 1500, ... 31500 ms and reports 'turn-unreachable' at 39.5 s", () => {
    const c = client();
    const sends: number[] = [];
    let now = 0;
    for (let i = 0; i < 50 && c.state === 'allocating'; i++) {
      c.handleTimeout(now);
      if (transmits(c).length > 0) sends.push(now);
      now = c.nextTimeout() ?? now;
    }
    expect(sends).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(events(c)).toEqual([{ type: 'error', reason: 'turn-unreachable' }]);
  });

  it('sends once over TCP and gives up after Ti (39.5 s)', () => {
    const c = client({ transport: 'tcp' });
    expect(transmits(c)).toHaveLength(1);
    expect(c.nextTimeout()).toBe(39_500);
    c.handleTimeout(39_499);
    expect(transmits(c)).toHaveLength(0);
    c.handleTimeout(39_500);
    expect(events(c)).toEqual([{ type: 'error', reason: 'turn-unreachable' }]);
  });

  it("reports other Allocate errors as 'turn-refused' with the code", () => {
    const c = client();
    c.handleInput(challenge(requests(c)[0]), 1);
    const [second] = requests(c);
    c.handleInput(answer(second, 'error', [{ type: AttributeType.ErrorCode, value: encodeErrorCode({ code: 486, reason: 'Quota' }) }]), 2);
    expect(events(c)).toEqual([{ type: 'error', reason: 'turn-refused', code: 486 }]);
  });
});

describe('TURN client: refresh and close (RFC 8656 §7.2, §8)', () => {
  it('refreshes 60 s before the lifetime ends, authenticated, and keeps going', () => {
    const c = allocated();
    expect(c.nextTimeout()).toBe(10 + 540_000);
    c.handleTimeout(540_010);
    const [refresh] = requests(c);
    expect(refresh.method).toBe(StunMethod.Refresh);
    expect(checkMessageIntegrity(refresh, KEY)).toBe('valid');
    c.handleInput(answer(refresh, 'success', [{ type: AttributeType.Lifetime, value: encodeLifetime(300) }]), 540_020);
    expect(events(c)).toEqual([{ type: 'refreshed', lifetime: 300 }]);
    expect(c.nextTimeout()).toBe(540_020 + 240_000);
  });

  it("reports 'turn-lost' when a Refresh fails", () => {
    const c = allocated();
    c.handleTimeout(540_010);
    const [refresh] = requests(c);
    c.handleInput(answer(refresh, 'error', [{ type: AttributeType.ErrorCode, value: encodeErrorCode({ code: 437, reason: 'Mismatch' }) }]), 1);
    expect(events(c)).toEqual([{ type: 'error', reason: 'turn-lost', code: 437 }]);
  });

  it('retries a Refresh with the new nonce after 438, and ignores an unsigned error answering it', () => {
    const c = allocated();
    c.handleTimeout(540_010);
    const [refresh] = requests(c);
    const forged = answer(refresh, 'error', [{ type: AttributeType.ErrorCode, value: encodeErrorCode({ code: 437, reason: 'Mismatch' }) }], null);
    c.handleInput(forged, 540_015);
    expect(events(c)).toEqual([]);
    c.handleInput(challenge(refresh, 438, 'nonce-9'), 540_020);
    const [retry] = requests(c);
    expect(retry.method).toBe(StunMethod.Refresh);
    expect(text(retry, AttributeType.Nonce)).toBe('nonce-9');
    expect(checkMessageIntegrity(retry, KEY)).toBe('valid');
    c.handleInput(answer(retry, 'success', [{ type: AttributeType.Lifetime, value: encodeLifetime(600) }]), 540_030);
    expect(events(c)).toEqual([{ type: 'refreshed', lifetime: 600 }]);
  });

  it('closing before the allocation exists sends nothing and reports closed', () => {
    const c = client();
    transmits(c);
    c.close(1);
    expect(transmits(c)).toEqual([]);
    expect(events(c)).toEqual([{ type: 'closed' }]);
    expect(c.nextTimeout()).toBeUndefined();
  });

  it('closes with a Refresh of LIFETIME 0, then reports closed', () => {
    const c = allocated();
    c.close(20);
    const [refresh] = requests(c);
    expect(refresh.method).toBe(StunMethod.Refresh);
    expect(decodeLifetime(getAttribute(refresh, AttributeType.Lifetime)!.value)).toBe(0);
    c.handleInput(answer(refresh, 'success', [{ type: AttributeType.Lifetime, value: encodeLifetime(0) }]), 30);
    expect(events(c)).toEqual([{ type: 'closed' }]);
    expect(c.state).toBe('closed');
    expect(c.send(PEER, new Uint8Array(1), 31)).toBe(false);
  });
});

describe('TURN client: permissions, channels and data (RFC 8656 §9-12)', () => {
  it('creates a permission for a peer IP and refreshes it every 4 minutes', () => {
    const c = allocated();
    c.addPermission(PEER.address, 100);
    const [create] = requests(c);
    expect(create.method).toBe(StunMethod.CreatePermission);
    expect(decodeXorMappedAddress(getAttribute(create, AttributeType.XorPeerAddress)!.value, create.transactionId)?.address).toBe(PEER.address);
    c.addPermission(PEER.address, 101);
    expect(transmits(c)).toEqual([]);
    c.handleInput(answer(create, 'success', []), 110);
    expect(events(c)).toEqual([{ type: 'permission', peerIp: PEER.address }]);
    expect(c.nextTimeout()).toBe(110 + 240_000);
    c.handleTimeout(240_110);
    const [again] = requests(c);
    expect(again.method).toBe(StunMethod.CreatePermission);
  });

  it('sends a Send indication before the channel is bound, ChannelData after; refreshes the channel every 9 minutes', () => {
    const c = allocated();
    expect(c.send(PEER, Uint8Array.of(1, 2, 3), 100)).toBe(true);
    const [bind, indication] = requests(c);
    expect(bind.method).toBe(StunMethod.ChannelBind);
    expect(decodeChannelNumber(getAttribute(bind, AttributeType.ChannelNumber)!.value)).toBe(0x4000);
    expect(indication.method === StunMethod.Send && indication.cls === 'indication').toBe(true);
    expect(decodeXorMappedAddress(getAttribute(indication, AttributeType.XorPeerAddress)!.value, indication.transactionId)).toEqual(PEER);
    expect(Array.from(getAttribute(indication, AttributeType.Data)!.value)).toEqual([1, 2, 3]);
    c.handleInput(answer(bind, 'success', []), 110);
    expect(events(c)).toEqual([{ type: 'channel-bound', peer: PEER, channel: 0x4000 }]);
    c.send(PEER, Uint8Array.of(4, 5), 120);
    const [framed] = transmits(c);
    expect(Array.from(framed)).toEqual([0x40, 0x00, 0, 2, 4, 5]);
    // The bind also installed the permission, refreshed every 4 min; the channel every 9 min.
    c.handleTimeout(240_110);
    const [permission] = requests(c);
    expect(permission.method).toBe(StunMethod.CreatePermission);
    c.handleInput(answer(permission, 'success', []), 240_120);
    // At 540_110: the allocation's refresh (due 540_010), the permission's (480_120) and the channel's (540_110).
    expect(c.nextTimeout()).toBe(480_120);
    c.handleTimeout(540_110);
    expect(requests(c).map((m) => m.method)).toEqual([StunMethod.Refresh, StunMethod.CreatePermission, StunMethod.ChannelBind]);
  });

  it('wrap() returns what send() would queue, and channelOf() names the bound channel', () => {
    const c = allocated();
    expect(c.channelOf(PEER)).toBeUndefined();
    const indication = parseMessage(c.wrap(PEER, Uint8Array.of(1), 100)!);
    expect(indication.ok && indication.message.method).toBe(StunMethod.Send);
    const [bind] = requests(c);
    c.handleInput(answer(bind, 'success', []), 110);
    expect(c.channelOf(PEER)).toBe(0x4000);
    expect(Array.from(c.wrap(PEER, Uint8Array.of(1), 120)!)).toEqual([0x40, 0, 0, 1, 1]);
    expect(transmits(c)).toEqual([]);
  });

  it('pads ChannelData to 4 bytes over TCP (§12.5)', () => {
    const c = allocated({ transport: 'tcp' });
    c.send(PEER, Uint8Array.of(9), 100);
    const [bind] = requests(c);
    c.handleInput(answer(bind, 'success', []), 110);
    c.send(PEER, Uint8Array.of(9), 120);
    expect(Array.from(transmits(c)[0])).toEqual([0x40, 0x00, 0, 1, 9, 0, 0, 0]);
  });

  it('without autoChannel, send uses Send indications only', () => {
    const c = allocated({ autoChannel: false });
    c.send(PEER, Uint8Array.of(1), 100);
    expect(requests(c).map((m) => m.method)).toEqual([StunMethod.Send]);
  });

  it('turns Data indications and ChannelData on a bound channel into data events; other channels are ignored', () => {
    const c = allocated();
    const tid = random(12);
    c.handleInput(
      serializeMessage({
        method: StunMethod.Data,
        cls: 'indication',
        transactionId: tid,
        attributes: [
          { type: AttributeType.XorPeerAddress, value: encodeXorMappedAddress(PEER, tid) },
          { type: AttributeType.Data, value: Uint8Array.of(7, 7) },
        ],
      }),
      50,
    );
    expect(events(c)).toEqual([{ type: 'data', from: PEER, bytes: Uint8Array.of(7, 7) }]);
    c.bindChannel(PEER, 60);
    c.handleInput(answer(requests(c)[0], 'success', []), 70);
    expect(events(c)).toMatchObject([{ type: 'channel-bound', channel: 0x4000 }]);
    c.handleInput(encodeChannelData(0x4000, Uint8Array.of(8), 'udp'), 80);
    c.handleInput(encodeChannelData(0x4001, Uint8Array.of(9), 'udp'), 81);
    expect(events(c)).toEqual([{ type: 'data', from: PEER, bytes: Uint8Array.of(8) }]);
  });

  it('reports a failed CreatePermission and lets the caller ask again', () => {
    const c = allocated();
    c.addPermission(PEER.address, 100);
    const [create] = requests(c);
    c.handleInput(answer(create, 'error', [{ type: AttributeType.ErrorCode, value: encodeErrorCode({ code: 403, reason: 'Forbidden' }) }]), 110);
    expect(events(c)).toEqual([{ type: 'permission-failed', peerIp: PEER.address, code: 403 }]);
    c.addPermission(PEER.address, 120);
    expect(requests(c).map((m) => m.method)).toEqual([StunMethod.CreatePermission]);
  });

  it('keeps sending Send indications when a ChannelBind goes unanswered, and binds a new channel number next time', () => {
    const c = allocated({ retransmit: { rtoMs: 10, rc: 2, rm: 1 } });
    c.send(PEER, Uint8Array.of(1), 100);
    transmits(c);
    c.handleTimeout(110);
    c.handleTimeout(120);
    expect(events(c)).toEqual([{ type: 'channel-failed', peer: PEER, code: 0 }]);
    transmits(c);
    c.send(PEER, Uint8Array.of(2), 130);
    const [bind, indication] = requests(c);
    expect(decodeChannelNumber(getAttribute(bind, AttributeType.ChannelNumber)!.value)).toBe(0x4001);
    expect(indication.method).toBe(StunMethod.Send);
  });

  it('never throws on arbitrary bytes from the server, in any state', () => {
    const c = allocated();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        c.handleInput(bytes, 100);
      }),
    );
    expect(c.state).toBe('allocated');
  });
});
