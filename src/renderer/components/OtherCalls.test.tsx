import { describe, it, expect } from 'vitest';
import { OtherCalls, type OtherCallsProps } from './OtherCalls';
import { byLabel } from './element-tree';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

const held = callInfo({ callId: 1, state: 'held', held: true, remoteName: 'Alice', remoteUri: 'sip:alice@127.0.0.1' });
const calling = callInfo({ callId: 3, state: 'calling', remoteName: '', remoteUri: 'sip:dave@127.0.0.1' });

function props(patch: Partial<OtherCallsProps> = {}): OtherCallsProps {
  return { calls: [held, calling], busy: false, onSwitch: noop, onHangup: noop, ...patch };
}

describe('OtherCalls (call waiting)', () => {
  it('lists each other call with its state, Switch to and Hang up', () => {
    const el = <OtherCalls {...props()} />;
    expect(text(el)).toBe('Other calls Alice On hold Switch to Hang up sip:dave@127.0.0.1 Calling… Switch to Hang up');
    expect(html(el)).toContain('<button type="button" aria-label="Switch to call with Alice">Switch to</button>');
    // A call not yet answered cannot be switched to.
    expect(html(el)).toContain('<button type="button" disabled="" aria-label="Switch to call with sip:dave@127.0.0.1">Switch to</button>');
  });

  it('shows nothing without other calls, and disables switching while busy', () => {
    expect(html(<OtherCalls {...props({ calls: [] })} />)).toBe('');
    expect(html(<OtherCalls {...props({ busy: true })} />)).toContain('disabled="" aria-label="Switch to call with Alice"');
  });

  it('says which call to switch to or hang up', () => {
    const seen: string[] = [];
    const tree = OtherCalls(props({ onSwitch: (id) => seen.push(`switch ${id}`), onHangup: (id) => seen.push(`hangup ${id}`) }));
    (byLabel(tree, 'Switch to call with Alice')!.props.onClick as () => void)();
    (byLabel(tree, 'Hang up call with sip:dave@127.0.0.1')!.props.onClick as () => void)();
    expect(seen).toEqual(['switch 1', 'hangup 3']);
  });
});
