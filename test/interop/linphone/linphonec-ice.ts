// linphonerc lines that make linphonec (Debian linphone-cli 5.1.65, liblinphone 5.1) do ICE with
// host, server-reflexive and relayed candidates from one STUN/TURN server (coturn in the lab), as
// measured in test/interop/lab/linphone-ice-sdp.test.ts. How liblinphone 5.1 reads them:
// - [net] nat_policy_ref names a [nat_policy_N] section by its `ref`
//   (linphonecore.c net_config_read → linphone_core_create_nat_policy_from_config); the legacy
//   [net] firewall_policy=ice / stun_server keys give ICE+STUN only, never TURN.
// - [nat_policy_N] protocols=stun,turn,ice; stun_server=host[:port] is also the TURN server;
//   stun_server_username is the TURN username; turn_enable_udp defaults to 1 (tcp/tls to 0).
//   With turn enabled every candidate comes from a TURN Allocate: the srflx one is its
//   XOR-MAPPED-ADDRESS, so a failed allocation leaves host candidates only.
// - The TURN password comes from an [auth_info_N] whose username matches (realm matched against
//   the 401's REALM, then any realm), but only when a proxy config exists: the STUN auth callback
//   (media-session.cpp stunAuthRequestedCb) returns without credentials when there is no
//   default proxy. So a [proxy_N] (registration off) is part of the recipe; point its reg_proxy
//   at the proxy the calls should go through (in the test: the callee itself).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LinphonecIceOptions {
  /** The STUN/TURN server, `host` or `host:port` (3478 when absent). */
  stunHost: string;
  turnUser: string;
  turnPassword: string;
  /** The TURN server's realm (coturn `realm=`). */
  realm: string;
  /** The proxy every call goes through, e.g. `sip:203.0.113.10:5060` (required for TURN auth, see above). */
  sipProxy: string;
  /** The account's identity; `sip:<turnUser>@<realm>` when absent. */
  identity?: string;
  /** Send REGISTER to sipProxy (off by default: the proxy config exists for the TURN credentials). */
  register?: boolean;
}

const NAT_POLICY_REF = 'vouch-ice';

/** The rc sections for ICE + STUN + TURN; append after the caller's own [sip]/[rtp] sections. */
export function linphonecIceRc(o: LinphonecIceOptions): string[] {
  return [
    '[sip]',
    'default_proxy=0',
    '[net]',
    `nat_policy_ref=${NAT_POLICY_REF}`,
    '[nat_policy_0]',
    `ref=${NAT_POLICY_REF}`,
    `stun_server=${o.stunHost}`,
    `stun_server_username=${o.turnUser}`,
    'protocols=stun,turn,ice',
    '[auth_info_0]',
    `username=${o.turnUser}`,
    `passwd=${o.turnPassword}`,
    `realm=${o.realm}`,
    '[proxy_0]',
    `reg_proxy=<${o.sipProxy}>`,
    `reg_identity=${o.identity ?? `sip:${o.turnUser}@${o.realm}`}`,
    `reg_sendregister=${o.register ? 1 : 0}`,
    `nat_policy_ref=${NAT_POLICY_REF}`,
  ];
}

export interface LinphonecRcDir {
  /** The 0700 temp dir holding everything (remove it when done). */
  dir: string;
  /** The 0600 linphonerc (it holds the TURN password). */
  rc: string;
  /** $HOME for linphonec, with .local/share/linphone made. */
  home: string;
}

/** Writes `lines` as a linphonerc into a fresh 0700 temp dir, mode 0600, with a HOME beside it. */
export function writeLinphonecRc(lines: string[]): LinphonecRcDir {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-linphonec-ice-')); // mkdtemp makes it 0700
  const home = join(dir, 'home');
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true, mode: 0o700 });
  const rc = join(dir, 'linphonerc');
  writeFileSync(rc, lines.join('\n') + '\n', { mode: 0o600 });
  return { dir, rc, home };
}
