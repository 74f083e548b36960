// Vouch ↔ Vouch calls between two homes behind NAT routers, with ICE, STUN and TURN (issue 19;
// root, network namespaces). Kamailio registers both sides and relays signalling only; coturn in
// the public namespace is the STUN and TURN server. Cone↔cone and full-cone↔symmetric must go
// direct (through the NATs' public addresses), any other pair with a symmetric NAT through the relay; every call is secure with
// the same SAS and audio both ways. Wrong TURN credentials, a TURN server that is not there and
// two symmetric NATs without TURN each end in the error that names why.
// Prints one JSON line per successful call: {"case":…,"inviteToSecureMs":…,"path":…,"rttMs":…}.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason, type NatKind } from './lab';
import { startIcePublicSide, LAB_DOMAIN, LAB_PASSWORD, LAB_TURN_PASSWORD, LAB_TURN_USER } from './services';
import { homeVouches, passwordFile, isSecure, isAudioPath, receivedTone, streamStats, type Line, type VouchNs } from './vouch-ns';

const skip = labSkipReason();
const TURN = `${ADDR.turn}:3478`;
/** Nothing listens here: coturn's address, another port (the kernel answers ICMP port unreachable). */
const NO_TURN = `${ADDR.turn}:3479`;
const ALICE_HZ = 1000;
const BOB_HZ = 700;

/** The last path a side reported for its audio (the selected one when the line says so). */
function audioPath(v: VouchNs): Line | undefined {
  const paths = v.lines.filter(isAudioPath);
  const selected = paths.filter((l) => l.selected === true);
  return (selected.length ? selected : paths).at(-1);
}

const iceError = (reason: string) => (l: Line): boolean => l.event === 'error' && l.scope === 'ice' && l.reason === reason;

describe.skipIf(skip)('ICE through home NATs: Vouch ↔ Vouch via Kamailio and coturn', () => {
  let lab: Lab;
  let dir: string;
  let sipPassword: string;
  let turnPassword: string;
  let wrongTurnPassword: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-lab-ice-'));
    sipPassword = passwordFile(join(dir, 'sip'), LAB_PASSWORD);
    turnPassword = passwordFile(join(dir, 'turn'), LAB_TURN_PASSWORD);
    wrongTurnPassword = join(dir, 'turn-wrong');
    writeFileSync(wrongTurnPassword, 'not-the-turn-password', { mode: 0o600 });
    lab = await Lab.create();
    await startIcePublicSide(lab);
  }, 30_000);
  const vouch = homeVouches(() => ({ lab, dir }));
  afterAll(async () => {
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Keep-alives every second: a changed public address shows in the registrar's answer at once. */
  const account = (user: string): string[] => ['--account', `sip:${user}@${LAB_DOMAIN}`, '--server', LAB_DOMAIN, '--password-file', sipPassword, '--keepalive', '1'];
  /** STUN and TURN at coturn; `turn` false: STUN only; `tcp`: the allocation over TCP (RFC 8656 §3.1). */
  const ice = (o: { turn?: string | false; turnPasswordFile?: string; tcp?: boolean } = {}): string[] => {
    const args = ['--stun', TURN];
    if (o.turn === false) return args;
    return [...args, o.tcp ? '--turn-tcp' : '--turn', o.turn ?? TURN, '--turn-user', LAB_TURN_USER, '--turn-password-file', o.turnPasswordFile ?? turnPassword];
  };
  const registered = (l: Line): boolean => l.event === 'registration' && l.state === 'registered';

  /** Alice (ha, behind ra) registered and waiting for one call; Bob (hb, behind rb) calls her by AOR. */
  async function call(nat: { ra: NatKind; rb: NatKind }, aliceIce: string[], bobIce: string[], bobExtra: string[] = ['--duration', '2']): Promise<{ alice: VouchNs; bob: VouchNs }> {
    lab.setNat('ra', nat.ra);
    lab.setNat('rb', nat.rb);
    const alice = vouch('ha', 'alice', ['listen', ...account('alice'), '--calls', '1', '--tone', String(ALICE_HZ), ...aliceIce]);
    await alice.next(registered, 20_000);
    const bob = vouch('hb', 'bob', ['call', `sip:alice@${LAB_DOMAIN}`, ...account('bob'), '--tone', String(BOB_HZ), ...bobIce, ...bobExtra]);
    return { alice, bob };
  }

  /** Both secure with one SAS, both exit 0, each heard the other's tone; prints the figures. */
  async function secureWithAudio(name: string, alice: VouchNs, bob: VouchNs): Promise<{ alicePath: Line | undefined; bobPath: Line | undefined }> {
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), alice.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
    const calling = bob.lines.find((l) => l.event === 'state' && l.state === 'calling');
    expect(calling).toBeDefined();
    const ms = bob.times[bob.lines.indexOf(bs)] - bob.times[bob.lines.indexOf(calling!)];
    // ZRTP starts at once on the SDP's path and may be secure before ICE's first pair is printed
    // (call-media.ts, startZrtpWhenRouted): wait for each side's path line while it runs (the
    // kinds below are read once it exited, when every line is in).
    await Promise.all([alice, bob].map((v) => v.next(isAudioPath, 15_000).catch(() => undefined)));
    expect(await bob.exited).toBe(0);
    expect(await alice.exited).toBe(0);
    const alicePath = audioPath(alice);
    const bobPath = audioPath(bob);
    console.log(JSON.stringify({ case: name, inviteToSecureMs: Number(ms.toFixed(1)), bobPath: bobPath?.kind, alicePath: alicePath?.kind, rttMs: bobPath?.rttMs }));
    expect(Math.abs(receivedTone(bob.recordDir) - ALICE_HZ), 'Alice → Bob audio').toBeLessThan(30);
    expect(Math.abs(receivedTone(alice.recordDir) - BOB_HZ), 'Bob → Alice audio').toBeLessThan(30);
    for (const v of [alice, bob]) expect(v.lines.filter((l) => l.event === 'error'), 'no error lines').toEqual([]);
    return { alicePath, bobPath };
  }

  it('cone ↔ cone: secure, same SAS, audio both ways, direct through the NATs (not relayed)', async () => {
    const { alice, bob } = await call({ ra: 'cone', rb: 'cone' }, ice(), ice());
    const { alicePath, bobPath } = await secureWithAudio('cone-cone', alice, bob);
    for (const p of [alicePath, bobPath]) {
      expect(p, JSON.stringify(bob.lines.filter((l) => l.event === 'path'))).toBeDefined();
      expect(p!.kind).toMatch(/^(srflx|prflx)$/);
      expect(p!.callId).toBeDefined();
      expect(typeof p!.rttMs).toBe('number');
    }
  }, 30_000);

  it('full-cone ↔ symmetric: direct even with TURN configured (the symmetric side\'s checks get through the full cone)', async () => {
    // Bob's symmetric router gives each destination a new port, so Alice cannot reach him first;
    // Alice's full cone lets his checks in from that unknown port, she learns it (prflx) and the
    // answers go back on the mapping his check made.
    const { alice, bob } = await call({ ra: 'full-cone', rb: 'symmetric' }, ice(), ice());
    const { alicePath, bobPath } = await secureWithAudio('fullcone-symmetric', alice, bob);
    const paths = (v: VouchNs) => JSON.stringify(v.lines.filter((l) => l.event === 'path' || (l.event === 'log' && String(l.message).includes('ICE'))));
    expect(alicePath?.kind, paths(alice)).toMatch(/^(srflx|prflx)$/);
    expect(bobPath?.kind, paths(bob)).toMatch(/^(srflx|prflx)$/);
  }, 30_000);

  for (const nat of [
    { name: 'cone-symmetric', ra: 'cone', rb: 'symmetric' },
    { name: 'symmetric-symmetric', ra: 'symmetric', rb: 'symmetric' },
  ] as const) {
    it(`${nat.name}: secure through the TURN relay, same SAS, audio both ways`, async () => {
      const { alice, bob } = await call(nat, ice(), ice());
      const { alicePath, bobPath } = await secureWithAudio(nat.name, alice, bob);
      expect(alicePath?.kind, JSON.stringify(alice.lines.filter((l) => l.event === 'path'))).toBe('relay');
      expect(bobPath?.kind, JSON.stringify(bob.lines.filter((l) => l.event === 'path'))).toBe('relay');
    }, 30_000);
  }

  it('symmetric ↔ symmetric with TURN over TCP (--turn-tcp): secure through the relay, audio both ways', async () => {
    const { alice, bob } = await call({ ra: 'symmetric', rb: 'symmetric' }, ice({ tcp: true }), ice({ tcp: true }));
    const { alicePath, bobPath } = await secureWithAudio('symmetric-symmetric-turn-tcp', alice, bob);
    expect(alicePath?.kind, JSON.stringify(alice.lines.filter((l) => l.event === 'path'))).toBe('relay');
    expect(bobPath?.kind, JSON.stringify(bob.lines.filter((l) => l.event === 'path'))).toBe('relay');
  }, 30_000);

  it('symmetric ↔ symmetric: video added mid-call goes through the relay too (its own candidates, multistream ZRTP)', async () => {
    const { alice, bob } = await call({ ra: 'symmetric', rb: 'symmetric' }, ice(), ice(), ['--duration', '4', '--add-video-after', '0.5']);
    await Promise.all([bob.next(isSecure, 20_000), alice.next(isSecure, 20_000)]);
    const videoPath = (v: VouchNs) => v.next((l) => l.event === 'path' && l.stream === 'video', 15_000);
    const [bp, ap] = await Promise.all([videoPath(bob), videoPath(alice)]);
    expect(bp.kind).toBe('relay');
    expect(ap.kind).toBe('relay');
    expect(await bob.exited).toBe(0);
    const videoIn = streamStats(alice, 'video').at(-1);
    expect(videoIn?.packetsReceived, 'video packets reached Alice through the relay').toBeGreaterThan(20);
    expect(videoIn?.protectFailures ?? 0).toBe(0);
  }, 40_000);

  it('a wrong TURN password is reported as turn-auth; the direct path still carries the call', async () => {
    const { alice, bob } = await call({ ra: 'cone', rb: 'cone' }, ice(), ice({ turnPasswordFile: wrongTurnPassword }));
    const err = await bob.next(iceError('turn-auth'), 15_000);
    expect(err.callId).toBeDefined();
    expect(alice.lines.some(iceError('turn-auth'))).toBe(false);
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), alice.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
  }, 30_000);

  it('a TURN server with nothing listening is reported as turn-unreachable', async () => {
    // Bob stays in the call (no --duration): the direct path carries it while his TURN client waits.
    const { alice, bob } = await call({ ra: 'cone', rb: 'cone' }, ice(), ice({ turn: NO_TURN }), []);
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), alice.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
    // Nothing answers at all (UDP: the ICMP port unreachable never reaches an unconnected socket).
    const calling = bob.lines.find((l) => l.event === 'state' && l.state === 'calling')!;
    const err = await bob.next(iceError('turn-unreachable'), 15_000);
    console.log(JSON.stringify({ case: 'turn-unreachable', reportedAfterInviteMs: Math.round(bob.times[bob.lines.indexOf(err)] - bob.times[bob.lines.indexOf(calling)]) }));
    expect(bob.lines.some(iceError('turn-auth'))).toBe(false);
  }, 30_000);

  it('symmetric ↔ symmetric without TURN: no-path, and the call is never secure', async () => {
    const { alice, bob } = await call({ ra: 'symmetric', rb: 'symmetric' }, ice({ turn: false }), ice({ turn: false }), []);
    // Checks give up after ~9.5 s (ice-transport); the side that tells the user is enough.
    await Promise.any([alice, bob].map((v) => v.next(iceError('no-path'), 20_000)));
    expect([alice, bob].some((v) => v.lines.some(isSecure))).toBe(false);
    expect([alice, bob].some((v) => v.lines.some(iceError('turn-auth')) || v.lines.some(iceError('turn-unreachable')))).toBe(false);
  }, 30_000);

  it('ICE restart: Alice\'s router changes its public address mid-call; audio is back both ways within 2 s', async () => {
    const { alice, bob } = await call({ ra: 'cone', rb: 'cone' }, ice(), ice(), ['--duration', '14']);
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), alice.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
    // Audio flowing both ways first (two stats lines a side with packets received).
    await Promise.all([alice, bob].map((v) => v.next((l) => l.event === 'stats' && audioReceived(l) > 50, 5000)));
    const movedAt = performance.now();
    lab.moveWanAddress('ra', ADDR.raWan, ADDR.raWanMoved);
    try {
      const back = await Promise.all([alice, bob].map((v) => audioBackAfter(v, movedAt, 10_000)));
      console.log(JSON.stringify({ case: 'ice-restart', aliceAudioBackMs: Math.round(back[0]), bobAudioBackMs: Math.round(back[1]), alicePath: audioPath(alice)?.kind, bobPath: audioPath(bob)?.kind }));
      // Stats come once a second, so the figure is late by up to 1 s: 2 s + that.
      for (const ms of back) expect(ms).toBeLessThanOrEqual(3000);
      // Bob's media now goes to Alice's new public address (or through the relay). Audio can be
      // back (it follows authenticated packets) before ICE's new pair is printed: wait for it,
      // and once Bob exited (every line in) it must be his last path.
      const movedPath = new RegExp(`${ADDR.raWanMoved.replaceAll('.', '\\.')}:|^relay `);
      const bobPaths = () => JSON.stringify(bob.lines.filter((l) => l.event === 'path'));
      const newPath = await bob.next((l) => isAudioPath(l) && movedPath.test(String(l.remote)), 10_000).catch(() => undefined);
      expect(newPath?.remote, bobPaths()).toMatch(movedPath);
      expect(await bob.exited).toBe(0);
      expect(String(audioPath(bob)?.remote), bobPaths()).toMatch(movedPath);
      // The keys stayed: no new SAS, no SRTP failure.
      expect(alice.lines.filter(isSecure).every((l) => l.sas === as.sas)).toBe(true);
      expect(bob.lines.filter(isSecure).every((l) => l.sas === bs.sas)).toBe(true);
    } finally {
      lab.moveWanAddress('ra', ADDR.raWanMoved, ADDR.raWan);
    }
  }, 45_000);
});

/** packetsReceived of the audio stream in a stats line. */
function audioReceived(l: Line): number {
  const streams = l.streams as { stream: string; packetsReceived: number }[] | undefined;
  return streams?.find((s) => s.stream === 'audio')?.packetsReceived ?? 0;
}

/**
 * How long after `since` audio arrived again: the time of the first stats line, from the second
 * one after `since` on (the first may count packets from before), whose count grew over the
 * line before it. Waits up to `ms`.
 */
async function audioBackAfter(v: VouchNs, since: number, ms: number): Promise<number> {
  const end = performance.now() + ms;
  for (;;) {
    const after = v.lines.map((l, i) => ({ l, t: v.times[i] })).filter((x) => x.l.event === 'stats' && x.t > since);
    for (let i = 1; i < after.length; i++) if (audioReceived(after[i].l) > audioReceived(after[i - 1].l)) return after[i].t - since;
    if (performance.now() > end) throw new Error(`no audio after the move within ${ms} ms: ${JSON.stringify(after.map((x) => audioReceived(x.l)))}; ${JSON.stringify(v.lines.filter((l) => l.event !== 'stats').slice(-8))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
