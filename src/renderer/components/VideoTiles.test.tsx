import { describe, it, expect } from 'vitest';
import { VideoTiles } from './VideoTiles';
import { html, noop, text } from './render';

const base = { remoteName: 'Bob', canAddVideo: true, busy: false, onAddVideo: noop, onStopVideo: noop };

describe('VideoTiles', () => {
  it('offers Add video when no video runs', () => {
    const out = html(<VideoTiles {...base} video={{ local: 'off', remote: 'off', declinedByPeer: false }} />);
    expect(out).toContain('>Add video</button>');
    expect(out).not.toContain('<canvas');
    expect(out).not.toContain('<video');
  });

  it('says "Adding video…" while the re-INVITE is out, with the local preview', () => {
    const el = <VideoTiles {...base} video={{ local: 'adding', remote: 'off', declinedByPeer: false }} />;
    expect(text(el)).toContain('Adding video…');
    expect(html(el)).toContain('aria-label="Your camera preview"');
    expect(html(el)).toContain('>Stop video</button>');
  });

  it('shows the remote tile as a labelled canvas, also for video the peer added', () => {
    const out = html(<VideoTiles {...base} video={{ local: 'off', remote: 'on', declinedByPeer: false }} />);
    expect(out).toContain('<canvas width="640" height="480" aria-label="Video from Bob" data-testid="remote-video">');
  });

  it('says when the peer declined video', () => {
    expect(text(<VideoTiles {...base} video={{ local: 'off', remote: 'off', declinedByPeer: true }} />)).toContain('Bob declined video.');
  });
});
