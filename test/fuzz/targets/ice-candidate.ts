// ICE candidate attributes (RFC 8839 §5.1 grammar) as an SDP a=candidate value or a trickled one.
import type { FuzzTarget } from '../engine';
import { formatCandidate, parseCandidate } from '../../../src/main/net/ice/candidate';

const decoder = new TextDecoder();

export const target: FuzzTarget = {
  name: 'ice-candidate',
  sources: ['src/main/net/ice/candidate.ts'],
  dictionary: [
    ' ', 'candidate:', 'UDP', 'TCP', 'udp', 'typ', 'host', 'srflx', 'prflx', 'relay', 'raddr', 'rport', 'tcptype', 'active', 'passive', 'so',
    'generation', 'network-id', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '2130706431', '4294967295', '65535', 'a.local', 'ufrag',
  ],
  maxLength: 1100,
  run(input) {
    const r = parseCandidate(decoder.decode(input));
    // What parses must format and parse again: the SDP writer relies on it.
    if (r.ok && !parseCandidate(formatCandidate(r.candidate)).ok) throw new Error('a parsed candidate did not survive formatCandidate');
  },
};
