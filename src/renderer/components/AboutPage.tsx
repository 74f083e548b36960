// About and diagnostics: the facts a developer or a bug report needs (version, shell, the media
// worker's round trip, the data directory, our ZRTP identity), kept off the call screen.
export interface AboutPageProps {
  version: string;
  shell: string;
  workerRoundTripMs: number | null;
  dataDir: string;
  zid: string;
}

export function AboutPage({ version, shell, workerRoundTripMs, dataDir, zid }: AboutPageProps) {
  return (
    <section className="about" aria-labelledby="about-title">
      <h2 id="about-title">About Vouch</h2>
      <p>Vouch {version}: an end-to-end encrypted phone (SIP, ZRTP, SRTP).</p>
      <h3>Diagnostics</h3>
      <dl>
        <dt>Shell</dt>
        <dd>{shell || 'unknown'}</dd>
        <dt>Media worker round trip</dt>
        <dd data-testid="worker-round-trip">{workerRoundTripMs === null ? 'waiting…' : `${workerRoundTripMs.toFixed(2)} ms`}</dd>
        <dt>Data directory</dt>
        <dd>{dataDir}</dd>
        <dt>Your ZRTP identity (ZID)</dt>
        <dd>{zid}</dd>
      </dl>
    </section>
  );
}
