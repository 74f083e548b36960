// What the call screen may truthfully say about video. AppCore's CallInfo.video says what was
// negotiated; the user sees "on" only once the stream is keyed (SecurityInfo.perStream.video is
// 'secure', RFC 6189 §4.4.3 multistream keying done) and, for the remote side, frames arrive.
// A call hung up during the multistream exchange therefore never shows video on/on.
import type { CallInfo, CallStats, SecurityInfo } from '../../shared/api';
import { streamFlowing } from './stats';

export interface ShownVideo {
  /** 'adding' from "Add video" until our stream is keyed. */
  local: 'off' | 'adding' | 'on';
  /** 'connecting' while negotiated but not yet keyed or not yet flowing. */
  remote: 'off' | 'connecting' | 'on';
}

export function videoKeyed(security: SecurityInfo | undefined): boolean {
  if (!security) return false;
  // SDES keys every stream in the SDP itself (RFC 4568): once negotiated it is keyed; a call
  // without encryption has no keying to wait for.
  if (security.mode !== 'zrtp') return true;
  return security.perStream.video?.state === 'secure';
}

export function shownVideo(call: CallInfo, security: SecurityInfo | undefined, stats: readonly CallStats[]): ShownVideo {
  if (call.state === 'ended') return { local: 'off', remote: 'off' };
  const keyed = videoKeyed(security);
  const local = call.video.local === 'off' ? 'off' : call.video.local === 'on' && keyed ? 'on' : 'adding';
  const remote = call.video.remote === 'off' ? 'off' : keyed && streamFlowing(stats, 'video') ? 'on' : 'connecting';
  return { local, remote };
}
