// The Binding client transaction driven with a fake clock and in-memory packets (no sockets).
import { describe, expect, it } from 'vitest';
import {
  AttributeType,
  BindingTransaction,
  checkFingerprint,
  checkMessageIntegrity,
  shortTermKey,
  StunMethod,
  encodeErrorCode,
  encodeMappedAddress,
  encodeXorMappedAddress,
  parseMessage,
  serializeMessage,
  serializeSigned,
} from './index';
import type { BindingStep, StunAttributeInit, StunClass } from './index';

const TID = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const MAPPED = { family: 'IPv4', address: '203.0.113.7', port: 40000 } as const;

function response(cls: StunClass, attributes: StunAttributeInit[], tid = TID, method: number = StunMethod.Binding): Uint8Array {
  return serializeSigned({ method, cls, transactionId: tid, attributes }, { fingerprint: true });
}

/** Runs the transaction's timers until it ends; returns the times at which it sent a request. */
function runToEnd(t: BindingTransaction): {
  sends: number[];
  end: BindingStep;
  endAt: number;
} {
  const sends: number[] = [];
  let step = t.start(0);
  let now = 0;
  for (let i = 0; i < 100 && step.kind === 'transmit'; i++) {
    sends.push(now);
    now = step.at;
    step = t.tick(now);
  }
  return { sends, end: step, endAt: now };
}

describe('STUN Binding client transaction (RFC 8489 §6.2.1)', () => {
  it('sends a Binding request with the transaction id', () => {
    const step = new BindingTransaction({ transactionId: TID }).start(1000);
    expect(step.kind).toBe('transmit');
    if (step.kind !== 'transmit') return;
    const r = parseMessage(step.packet);
    expect(r.ok && r.message.method === StunMethod.Binding && r.message.cls === 'request').toBe(true);
    expect(r.ok && Array.from(r.message.transactionId)).toEqual(Array.from(TID));
    expect(step.at).toBe(1500);
  });

  it('retransmits at 0, 500, 1500, 3500, 7500, 15500, 31500 ms and times out at 39500 ms (Rc=7, Rm=16)', () => {
    const { sends, end, endAt } = runToEnd(new BindingTransaction({ transactionId: TID }));
    expect(sends).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(end).toEqual({ kind: 'timeout' });
    expect(endAt).toBe(39500);
  });

  it('honours a different RTO and Rc, and an early tick only re-arms the timer', () => {
    const t = new BindingTransaction({
      transactionId: TID,
      rtoMs: 100,
      rc: 3,
      rm: 4,
    });
    expect(t.start(0)).toMatchObject({ kind: 'transmit', at: 100 });
    expect(t.tick(50)).toEqual({ kind: 'wait', at: 100 });
    expect(t.tick(100)).toMatchObject({ kind: 'transmit', at: 300 });
    expect(t.tick(300)).toMatchObject({ kind: 'transmit', at: 700 });
    expect(t.tick(699)).toEqual({ kind: 'wait', at: 700 });
    expect(t.tick(700)).toEqual({ kind: 'timeout' });
    expect(t.tick(10_000)).toEqual({ kind: 'done' });
  });

  it('yields the server-reflexive address from XOR-MAPPED-ADDRESS and stops retransmitting', () => {
    const t = new BindingTransaction({ transactionId: TID });
    t.start(0);
    t.tick(500);
    const result = t.input(
      response('success', [
        {
          type: AttributeType.XorMappedAddress,
          value: encodeXorMappedAddress(MAPPED, TID),
        },
      ]),
      620,
    );
    expect(result).toEqual({ kind: 'success', mapped: MAPPED, rttMs: 620 });
    expect(t.finished).toBe(true);
    expect(t.tick(1500)).toEqual({ kind: 'done' });
  });

  it('prefers XOR-MAPPED-ADDRESS over a (NAT-rewritten) MAPPED-ADDRESS, and falls back to MAPPED-ADDRESS alone', () => {
    const both = new BindingTransaction({ transactionId: TID });
    both.start(0);
    const rewritten = { family: 'IPv4', address: '10.0.0.1', port: 1 } as const;
    expect(
      both.input(
        response('success', [
          {
            type: AttributeType.MappedAddress,
            value: encodeMappedAddress(rewritten),
          },
          {
            type: AttributeType.XorMappedAddress,
            value: encodeXorMappedAddress(MAPPED, TID),
          },
        ]),
        5,
      ),
    ).toMatchObject({ kind: 'success', mapped: MAPPED });
    const old = new BindingTransaction({ transactionId: TID });
    old.start(0);
    expect(
      old.input(
        response('success', [
          {
            type: AttributeType.MappedAddress,
            value: encodeMappedAddress(MAPPED),
          },
        ]),
        5,
      ),
    ).toMatchObject({
      kind: 'success',
      mapped: MAPPED,
    });
  });

  it('ignores other transactions, other methods, requests, bad fingerprints and garbage, and keeps retransmitting', () => {
    const t = new BindingTransaction({ transactionId: TID });
    t.start(0);
    const good = response('success', [
      {
        type: AttributeType.XorMappedAddress,
        value: encodeXorMappedAddress(MAPPED, TID),
      },
    ]);
    const otherTid = TID.slice();
    otherTid[0] ^= 1;
    expect(t.input(response('success', [], otherTid), 1)).toEqual({
      kind: 'ignored',
      reason: 'other transaction',
    });
    expect(t.input(response('success', [], TID, 0x003), 1)).toEqual({
      kind: 'ignored',
      reason: 'not a Binding response',
    });
    expect(t.input(response('request', []), 1)).toEqual({
      kind: 'ignored',
      reason: 'not a Binding response',
    });
    const corrupted = good.slice();
    corrupted[good.length - 1] ^= 0xff;
    expect(t.input(corrupted, 1)).toEqual({
      kind: 'ignored',
      reason: 'bad fingerprint',
    });
    expect(t.input(Uint8Array.from([0x80, 0, 0, 0]), 1)).toEqual({
      kind: 'ignored',
      reason: 'too-short',
    });
    expect(t.tick(500)).toMatchObject({ kind: 'transmit' });
    expect(t.input(good, 600)).toMatchObject({
      kind: 'success',
      mapped: MAPPED,
    });
  });

  it('reports an error response with its code, and a success without an address as a failure', () => {
    const t = new BindingTransaction({ transactionId: TID });
    t.start(0);
    expect(
      t.input(
        response('error', [
          {
            type: AttributeType.ErrorCode,
            value: encodeErrorCode({ code: 400, reason: 'Bad Request' }),
          },
        ]),
        3,
      ),
    ).toEqual({
      kind: 'error-response',
      code: 400,
      reason: 'Bad Request',
    });
    const empty = new BindingTransaction({ transactionId: TID });
    empty.start(0);
    expect(
      empty.input(
        serializeMessage({
          method: StunMethod.Binding,
          cls: 'success',
          transactionId: TID,
        }),
        3,
      ),
    ).toEqual({
      kind: 'failure',
      reason: 'no-mapped-address',
    });
  });

  it('fails on an unknown comprehension-required attribute in a success response (RFC 8489 §6.3.3)', () => {
    const t = new BindingTransaction({ transactionId: TID });
    t.start(0);
    const r = t.input(
      response('success', [
        {
          type: AttributeType.XorMappedAddress,
          value: encodeXorMappedAddress(MAPPED, TID),
        },
        { type: 0x7777, value: new Uint8Array(4) },
      ]),
      3,
    );
    expect(r).toEqual({
      kind: 'failure',
      reason: 'unknown-comprehension-required',
    });
  });

  it('with a short-term key, signs the request and accepts only a response whose MESSAGE-INTEGRITY verifies', () => {
    const key = shortTermKey('ice-password');
    const t = new BindingTransaction({ transactionId: TID, integrity: key, fingerprint: true });
    const step = t.start(0);
    if (step.kind !== 'transmit') throw new Error('expected a request');
    const request = parseMessage(step.packet);
    expect(request.ok && checkMessageIntegrity(request.message, key)).toBe('valid');
    expect(request.ok && checkFingerprint(request.message)).toBe('valid');
    const attributes = [{ type: AttributeType.XorMappedAddress, value: encodeXorMappedAddress(MAPPED, TID) }];
    const init = { method: StunMethod.Binding, cls: 'success' as const, transactionId: TID, attributes };
    expect(t.input(serializeSigned(init, { fingerprint: true }), 1)).toEqual({ kind: 'ignored', reason: 'bad message integrity' });
    expect(t.input(serializeSigned(init, { integrity: shortTermKey('forged'), fingerprint: true }), 1)).toEqual({
      kind: 'ignored',
      reason: 'bad message integrity',
    });
    expect(t.input(serializeSigned(init, { integrity: key, fingerprint: true }), 2)).toMatchObject({ kind: 'success', mapped: MAPPED });
  });

  it('draws a fresh random transaction id per transaction', () => {
    const a = new BindingTransaction().transactionId;
    const b = new BindingTransaction().transactionId;
    expect(a.length).toBe(12);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
