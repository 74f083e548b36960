// Small UDP programs run inside lab namespaces to check what the lab's NATs do: an echo server
// that answers each datagram with the source it saw, and a client that sends from one port to
// several destinations and prints what came back.
import { spawnSync } from 'node:child_process';
import type { Lab, LabProcess, Role } from './lab';

/** Answers every datagram with "address:port" of its source; prints the same on stdout. */
/** `open`: a "host:port" the server sends one datagram to first (opens a NAT mapping). */
export async function startEcho(lab: Lab, role: Role, host: string, port: number, open?: string): Promise<{ process: LabProcess; seen: string[] }> {
  const seen: string[] = [];
  let ready = false;
  const script = `const s=require('node:dgram').createSocket(${JSON.stringify(host.includes(':') ? 'udp6' : 'udp4')});s.on('message',(m,r)=>{const t=r.address+':'+r.port;console.log(t);s.send(t,r.port,r.address)});const o=${JSON.stringify(open ?? '')};s.bind(${port},${JSON.stringify(host)},()=>{if(o){const i=o.lastIndexOf(':');s.send('open',Number(o.slice(i+1)),o.slice(0,i))}console.log('ready')})`;
  const p = lab.spawn(role, process.execPath, ['-e', script], {
    onLine: (l) => {
      if (l === 'ready') ready = true;
      else if (l) seen.push(l);
    },
  });
  const end = Date.now() + 5000;
  while (!ready) {
    if (Date.now() > end || p.child.exitCode !== null) throw new Error(`echo server did not start: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { process: p, seen };
}

/**
 * Sends one datagram from `fromPort` to each destination ("host:port") and returns, per
 * destination, the source the far end saw (its echo), or "" when nothing came back in 500 ms.
 */
export function probe(lab: Lab, role: Role, fromPort: number, destinations: string[]): string[] {
  const script = `const d=${JSON.stringify(destinations)};const out=d.map(()=>'');const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>{const i=d.indexOf(r.address+':'+r.port);if(i>=0)out[i]=m.toString()});s.bind(${fromPort},()=>{for(const x of d){const i=x.lastIndexOf(':');s.send('probe',Number(x.slice(i+1)),x.slice(0,i))}});setTimeout(()=>{console.log(JSON.stringify(out));process.exit(0)},500)`;
  const r = spawnSync('ip', ['netns', 'exec', lab.ns(role), process.execPath, '-e', script], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as string[];
}
