// The TURN client's table of permissions (RFC 8656 §9: per peer IP, 300 s, refreshed here every
// 4 minutes) and channels (§12: per peer transport address, 600 s, refreshed every 9 minutes).
// Only bookkeeping: the client sends the requests this table asks for.
import { CHANNEL_MAX, CHANNEL_MIN } from '../stun/attributes';
import type { TransportAddress } from '../stun/attributes';

export const PERMISSION_REFRESH_MS = 240_000;
export const CHANNEL_REFRESH_MS = 540_000;

interface Permission {
  installed: boolean;
  pending: boolean;
  refreshAt: number | undefined;
}

interface Channel {
  readonly peer: TransportAddress;
  readonly channel: number;
  bound: boolean;
  pending: boolean;
  refreshAt: number | undefined;
}

export type DueRefresh = { kind: 'permission'; peerIp: string } | { kind: 'channel'; peer: TransportAddress; channel: number };

function peerKey(peer: TransportAddress): string {
  return `${peer.address}|${peer.port}`;
}

export class PeerTable {
  private readonly permissions = new Map<string, Permission>();
  private readonly channels = new Map<string, Channel>();
  private readonly byNumber = new Map<number, Channel>();
  /**
   * Numbers are never reused within an allocation: §12 forbids rebinding a number to another
   * peer for 5 minutes after it expires, and 4096 numbers outlast any call.
   */
  private nextChannel = CHANNEL_MIN;

  /** True when a CreatePermission for `peerIp` should be sent now (none installed or in flight). */
  wantPermission(peerIp: string): boolean {
    const p = this.permissions.get(peerIp);
    if (p && (p.installed || p.pending)) return false;
    this.permissions.set(peerIp, { installed: false, pending: true, refreshAt: undefined });
    return true;
  }

  /** Records a successful CreatePermission; true the first time (not on refreshes). */
  permissionInstalled(peerIp: string, now: number): boolean {
    const p = this.permissions.get(peerIp) ?? { installed: false, pending: false, refreshAt: undefined };
    const first = !p.installed;
    p.installed = true;
    p.pending = false;
    p.refreshAt = now + PERMISSION_REFRESH_MS;
    this.permissions.set(peerIp, p);
    return first;
  }

  permissionFailed(peerIp: string): void {
    this.permissions.delete(peerIp);
  }

  /** The channel number to bind to `peer` now, or undefined when one is bound, in flight, or none are left. */
  wantChannel(peer: TransportAddress): number | undefined {
    const key = peerKey(peer);
    if (this.channels.has(key) || this.nextChannel > CHANNEL_MAX) return undefined;
    const c: Channel = { peer, channel: this.nextChannel++, bound: false, pending: true, refreshAt: undefined };
    this.channels.set(key, c);
    this.byNumber.set(c.channel, c);
    return c.channel;
  }

  /** Records a successful ChannelBind, which also installs the peer's permission (§12.2); true the first time. */
  channelBound(peer: TransportAddress, now: number): boolean {
    const c = this.channels.get(peerKey(peer));
    if (!c) return false;
    const first = !c.bound;
    c.bound = true;
    c.pending = false;
    c.refreshAt = now + CHANNEL_REFRESH_MS;
    const p = this.permissions.get(peer.address);
    if (!p?.installed) this.permissionInstalled(peer.address, now);
    return first;
  }

  channelFailed(peer: TransportAddress): void {
    const c = this.channels.get(peerKey(peer));
    if (!c) return;
    this.channels.delete(peerKey(peer));
    this.byNumber.delete(c.channel);
  }

  boundChannel(peer: TransportAddress): number | undefined {
    const c = this.channels.get(peerKey(peer));
    return c?.bound ? c.channel : undefined;
  }

  /** The peer a channel number was requested for (bound or in flight: the server may answer data first). */
  peerOfChannel(channel: number): TransportAddress | undefined {
    return this.byNumber.get(channel)?.peer;
  }

  nextRefresh(): number | undefined {
    let next: number | undefined;
    for (const e of [...this.permissions.values(), ...this.channels.values()]) {
      if (!e.pending && e.refreshAt !== undefined && (next === undefined || e.refreshAt < next)) next = e.refreshAt;
    }
    return next;
  }

  /** The refreshes due at `now`, each marked in flight so it is asked for once. */
  dueRefreshes(now: number): DueRefresh[] {
    const due: DueRefresh[] = [];
    for (const [peerIp, p] of this.permissions) {
      if (!p.pending && p.refreshAt !== undefined && now >= p.refreshAt) {
        p.pending = true;
        due.push({ kind: 'permission', peerIp });
      }
    }
    for (const c of this.channels.values()) {
      if (!c.pending && c.refreshAt !== undefined && now >= c.refreshAt) {
        c.pending = true;
        due.push({ kind: 'channel', peer: c.peer, channel: c.channel });
      }
    }
    return due;
  }
}
