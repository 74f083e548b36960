// Which way the call's audio travels, in words (ICE's selected pair, RFC 8445 §5.1.1 candidate
// types), and its round trip: "Direct", "Through your router's public address", "Through a relay
// (TURN)". Nothing before ICE found a path, or when ICE is off.
import type { CallInfo } from '../../shared/api';
import { describePath } from '../../shared/ice-words';

export function CallPath({ path }: { path: CallInfo['path'] }) {
  if (!path) return null;
  return (
    <p className="call-path" data-kind={path.kind}>
      <span className="muted">Path: </span>
      {describePath(path.kind)}
      {path.rttMs !== undefined ? <span className="muted"> · round trip {Math.round(path.rttMs)} ms</span> : null}
    </p>
  );
}
