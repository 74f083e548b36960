import { describe, it, expect } from 'vitest';
import { VideoTiles, type VideoTilesProps } from './VideoTiles';
import { byLabel } from './element-tree';
import { html, noop, text } from './render';

const base: VideoTilesProps = { video: { local: 'off', remote: 'off' }, remoteName: 'Bob', pipCorner: 'bottom-right', onPipKey: noop, onPipDrop: noop };

describe('VideoTiles', () => {
  it('no video: no canvas, no preview', () => {
    const out = html(<VideoTiles {...base} />);
    expect(out).not.toContain('<canvas');
    expect(out).not.toContain('<video');
  });

  it('the remote canvas is there once negotiated but says "Connecting video…" until keyed and flowing', () => {
    const connecting = <VideoTiles {...base} video={{ local: 'off', remote: 'connecting' }} />;
    expect(html(connecting)).toContain('data-flowing="false"');
    expect(text(connecting)).toContain('Connecting video…');
    const on = html(<VideoTiles {...base} video={{ local: 'off', remote: 'on' }} />);
    expect(on).toContain('<canvas width="640" height="480" aria-label="Video from Bob" data-testid="remote-video">');
    expect(on).toContain('data-flowing="true"');
    expect(on).not.toContain('Connecting video');
  });

  it('the self view is a focusable picture-in-picture in a corner that arrow keys move', () => {
    const keys: string[] = [];
    const el = VideoTiles({ ...base, video: { local: 'adding', remote: 'off' }, pipCorner: 'top-left', onPipKey: (k) => keys.push(k) });
    const out = html(<>{el}</>);
    expect(out).toContain('class="tile local pip" data-corner="top-left" tabindex="0"');
    expect(out).toContain('aria-label="Your camera preview"');
    const pip = byLabel(el, 'Your camera, top left. Arrow keys move it.');
    const onKeyDown = pip?.props.onKeyDown as (e: { key: string; preventDefault(): void }) => void;
    onKeyDown({ key: 'ArrowRight', preventDefault: noop });
    onKeyDown({ key: 'Tab', preventDefault: noop });
    expect(keys).toEqual(['ArrowRight']);
  });
});
