// Starts Kamailio (Debian kamailio, kamailio-tls-modules) in the foreground with kamailio.cfg:
// a registrar and proxy with digest auth on 127.0.0.1 over UDP, TCP and (optionally) TLS.
// Also makes the throwaway CA and certificates TLS tests need, with openssl.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KamailioOptions {
  bin: string;
  udpPort: number;
  tcpPort: number;
  /** TLS port; TLS is off without it. */
  tlsPort?: number;
  /** PEM paths of Kamailio's server certificate and key (see makeCertificates). */
  tlsCert?: string;
  tlsKey?: string;
  password: string;
  algorithm?: 'MD5' | 'SHA-256';
}

export interface Certificates {
  dir: string;
  caPem: string;
  /** Paths, for Kamailio. */
  serverCert: string;
  serverKey: string;
  /** The server certificate followed by the CA's: what a private server sends (a self-signed root in the chain). */
  serverChain: string;
  /** PEM text of a second leaf (for a UA's own TLS server). */
  clientCertPem: string;
  clientKeyPem: string;
}

const MODULE_PATHS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules'];

/** A CA and two leaf certificates for 127.0.0.1 (subjectAltName IP), made with openssl. */
export function makeCertificates(openssl: string): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-certs-'));
  const run = (args: string[]): void => void execFileSync(openssl, args, { cwd: dir, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Vouch Test CA']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  for (const leaf of ['server', 'client']) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`, '-subj', `/CN=127.0.0.1`]);
    run(['x509', '-req', '-in', `${leaf}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${leaf}.pem`, '-days', '2', '-extfile', 'san.ext']);
  }
  writeFileSync(join(dir, 'server-chain.pem'), readFileSync(join(dir, 'server.pem'), 'utf8') + readFileSync(join(dir, 'ca.pem'), 'utf8'));
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    serverChain: join(dir, 'server-chain.pem'),
    clientCertPem: readFileSync(join(dir, 'client.pem'), 'utf8'),
    clientKeyPem: readFileSync(join(dir, 'client.key'), 'utf8'),
  };
}

/** One more server certificate (with the CA in its chain) from the same CA, for `san`, e.g. 'DNS:wrong.example'. */
export function makeServerLeaf(openssl: string, certs: Certificates, name: string, san: string): { cert: string; key: string } {
  const run = (args: string[]): void => void execFileSync(openssl, args, { cwd: certs.dir, stdio: 'ignore' });
  writeFileSync(join(certs.dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  writeFileSync(join(certs.dir, `${name}-chain.pem`), readFileSync(join(certs.dir, `${name}.pem`), 'utf8') + certs.caPem);
  return { cert: join(certs.dir, `${name}-chain.pem`), key: join(certs.dir, `${name}.key`) };
}

export class Kamailio {
  private out = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString('utf8')).slice(-50000)));
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString('utf8')).slice(-50000)));
    this.exited = new Promise((r) => child.on('exit', () => r()));
  }

  get output(): string {
    return this.out;
  }

  static async start(o: KamailioOptions): Promise<Kamailio> {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-kamailio-'));
    const modulePath = MODULE_PATHS.find((p) => existsSync(p)) ?? MODULE_PATHS[0];
    const tls = o.tlsPort !== undefined;
    if (tls) {
      writeFileSync(
        join(dir, 'tls.cfg'),
        [
          '[server:default]',
          'method = TLSv1.2+',
          `certificate = ${o.tlsCert}`,
          `private_key = ${o.tlsKey}`,
          'verify_certificate = no',
          'require_certificate = no',
          '',
          '[client:default]',
          'method = TLSv1.2+',
          'verify_certificate = no',
          'require_certificate = no',
          '',
        ].join('\n'),
      );
    }
    const template = readFileSync(new URL('./kamailio.cfg', import.meta.url), 'utf8');
    const cfg = template
      .replaceAll('%UDP_PORT%', String(o.udpPort))
      .replaceAll('%TCP_PORT%', String(o.tcpPort))
      .replaceAll('%TLS_LISTEN%', tls ? `listen=tls:127.0.0.1:${o.tlsPort}` : '')
      .replaceAll('%ENABLE_TLS%', tls ? 'yes' : 'no')
      .replaceAll('%TLS_MODULE%', tls ? `loadmodule "tls.so"\nmodparam("tls", "config", "${join(dir, 'tls.cfg')}")` : '')
      .replaceAll('%MODULE_PATH%', modulePath)
      .replaceAll('%ALGORITHM%', o.algorithm ?? 'SHA-256')
      .replaceAll('%PASSWORD%', o.password);
    const cfgPath = join(dir, 'kamailio.cfg');
    writeFileSync(cfgPath, cfg);
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    // Its own process group (detached), so that stop() ends the worker processes Kamailio forks
    // even when the main one has to be killed: none is left holding ports for later tests.
    const child = spawn(o.bin, ['-DD', '-E', '-f', cfgPath, '-Y', runDir, '-P', join(runDir, 'kamailio.pid'), '-m', '64', '-M', '8', '-w', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const k = new Kamailio(child, dir);
    try {
      await k.waitReady(o.udpPort);
    } catch (e) {
      await k.stop();
      throw e;
    }
    return k;
  }

  /** Polls with OPTIONS over UDP until Kamailio answers anything. */
  private async waitReady(port: number): Promise<void> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    let answered = false;
    sock.on('message', () => (answered = true));
    const deadline = Date.now() + 10000;
    try {
      while (!answered) {
        if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`kamailio did not start:\n${this.out.slice(-3000)}`);
        const msg = `OPTIONS sip:ping@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bKping${Date.now()}\r\nFrom: <sip:ping@127.0.0.1>;tag=p\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: ping${Date.now()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
        sock.send(msg, port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      sock.close();
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.signalGroup('SIGTERM');
      const killer = setTimeout(() => this.signalGroup('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(killer);
    }
    // Workers that outlived the main process (it was killed) go too.
    this.signalGroup('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, signal);
    } catch {
      // the group is gone already
    }
  }
}
