// Helpers shared by this folder's tests (not exported from index.ts).
import { PacketBuffer } from '../packet-buffer';
import type { CryptoContext } from './context';
import type { SrtpTransform } from './transform';

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A packet holding exactly `bytes`, with no tailroom at all. */
export function exactPacket(bytes: Uint8Array, headroom = 0): PacketBuffer {
  const p = PacketBuffer.alloc(bytes.length, { headroom });
  p.append(bytes);
  return p;
}

/** A context around a transform built from session keys, as the RFC 7714 vectors publish them. */
export function contextFor(transform: SrtpTransform, overrides: Partial<CryptoContext> = {}): CryptoContext {
  return {
    transform,
    mki: undefined,
    mkiLength: 0,
    windowSize: 128,
    srtpLifetime: 2 ** 48,
    srtcpLifetime: 2 ** 31,
    encryptRtcp: true,
    srtpPackets: 0,
    srtcpPackets: 0,
    rtpStreams: new Map(),
    rtcpStreams: new Map(),
    initialRoc: new Map(),
    initialSrtcpIndex: new Map(),
    ...overrides,
  };
}
