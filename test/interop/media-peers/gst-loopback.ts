// What a test file that runs GStreamer pipelines against our media code keeps: a temp folder,
// the gst-launch children and UDP sockets on 127.0.0.1, all released by close() (in afterAll).
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GstLoopback {
  dir: string;
  /** Children pushed here are SIGKILLed by close() if still running. */
  children: ChildProcess[];
  /** A UDP socket bound on 127.0.0.1 (port 0: any free port). */
  bind(port?: number): Promise<Socket>;
  close(): void;
}

export function gstLoopback(dirPrefix: string): GstLoopback {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  const bind = (port = 0): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = createSocket('udp4');
      sockets.push(s);
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => resolve(s));
    });
  return {
    dir,
    children,
    bind,
    close() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      for (const s of sockets) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
