// Exploratory (issue 19): what Debian's linphonec 5.1 offers for ICE with coturn, from behind the
// lab's cone NAT. linphonec in 'ha' (10.0.1.10 behind ra, 203.0.113.2) calls a bare UDP listener
// in 'pub' that only records the INVITE; its SDP must carry host, srflx (ra's public address,
// learned from the TURN Allocate's XOR-MAPPED-ADDRESS) and relay (coturn's) candidates.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync, statSync } from 'node:fs';
import { Lab, ADDR, labSkipReason, type LabProcess } from './lab';
import { startCoturn, LAB_TURN_USER, LAB_TURN_PASSWORD, LAB_TURN_REALM, type LabCoturn } from './services';
import { which } from '../peers';
import { linphonecIceRc, writeLinphonecRc } from '../linphone/linphonec-ice';
import { startLinphonec } from './linphonec-ns';

const skip = labSkipReason() ?? (which('linphonec') ? undefined : 'linphonec not found (apt-get install linphone-cli)');
/** The callee: an extra address on the public bridge, nobody else's. */
const CALLEE = '203.0.113.50';
const CALLEE_PORT = 5070;

/** A UDP socket in `pub` that prints each INVITE it gets, framed, and answers nothing. */
const LISTENER = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m)=>{const t=m.toString();if(t.startsWith('INVITE '))console.log('<<<'+t+'>>>')});s.bind(${CALLEE_PORT},'${CALLEE}',()=>console.log('listening'))`;

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip)('linphonec ICE offer through coturn (lab)', () => {
  let lab: Lab;
  let coturn: LabCoturn;
  let listener: LabProcess;
  beforeAll(async () => {
    lab = await Lab.create();
    coturn = await startCoturn(lab, 'pub', ADDR.turn);
    lab.ip('pub', 'addr', 'add', `${CALLEE}/24`, 'dev', 'br0');
    listener = lab.spawn('pub', process.execPath, ['-e', LISTENER]);
    await until('listener', () => listener.output().includes('listening'), 5000);
  });
  afterAll(async () => {
    await coturn?.stop();
    await lab?.destroy();
  });

  it('offers host, srflx 203.0.113.2 and relay 203.0.113.20 candidates, allocated at coturn', async () => {
    const files = writeLinphonecRc([
      '[sip]',
      'sip_port=5060',
      'sip_tcp_port=0',
      'sip_tls_port=0',
      'media_encryption=none',
      '[rtp]',
      'audio_rtp_port=7078',
      'video_rtp_port=9078',
      '[video]',
      'enabled=0',
      ...linphonecIceRc({
        stunHost: `${ADDR.turn}:3478`,
        turnUser: LAB_TURN_USER,
        turnPassword: LAB_TURN_PASSWORD,
        realm: LAB_TURN_REALM,
        sipProxy: `sip:${CALLEE}:${CALLEE_PORT};transport=udp`,
      }),
    ]);
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
    expect(statSync(files.rc).mode & 0o777).toBe(0o600);
    const lp = startLinphonec(lab, files, 'ha', false);
    try {
      lp.command('ipv6 disable');
      await lp.waitFor(/ipv6 use disabled/, 10_000);
      lp.command('soundcard use files');
      lp.command(`call sip:x@${CALLEE}:${CALLEE_PORT}`);
      await until('INVITE at the listener', () => listener.output().includes('>>>'), 15_000);
      const invite = /<<<([\s\S]*?)>>>/.exec(listener.output())![1];
      const sdp = invite.slice(invite.search(/\r\n\r\n/) + 4);
      expect(sdp).toMatch(/^a=ice-ufrag:\S+\r$/m);
      expect(sdp).toMatch(/^a=ice-pwd:\S+\r$/m);
      expect(sdp).toMatch(new RegExp(`^a=candidate:\\S+ 1 UDP \\d+ ${ADDR.ha.replaceAll('.', '\\.')} 7078 typ host\\r$`, 'm'));
      expect(sdp).toMatch(new RegExp(`^a=candidate:\\S+ 1 UDP \\d+ ${ADDR.raWan.replaceAll('.', '\\.')} \\d+ typ srflx raddr`, 'm'));
      const relay = new RegExp(`^a=candidate:\\S+ 1 UDP \\d+ ${ADDR.turn.replaceAll('.', '\\.')} (\\d+) typ relay raddr`, 'm').exec(sdp);
      expect(relay).not.toBeNull();
      // The relayed port is a live allocation: coturn holds a UDP socket on it.
      const sockets = lab.exec('pub', 'ss', ['-uanpH']);
      expect(sockets).toMatch(new RegExp(`${ADDR.turn.replaceAll('.', '\\.')}:${relay![1]}\\s.*turnserver`));
    } finally {
      await lp.stop();
      rmSync(files.dir, { recursive: true, force: true });
    }
  });
});
