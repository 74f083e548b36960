import { describe, it, expect } from 'vitest';
import type { FormEvent } from 'react';
import { TransferControls, type TransferControlsProps } from './TransferControls';
import { byLabel } from './element-tree';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

const carol = callInfo({ callId: 2, state: 'held', held: true, remoteName: 'Carol', remoteUri: 'sip:carol@127.0.0.1' });
const ringing = callInfo({ callId: 4, state: 'ringing', remoteName: 'Dave' });

function props(patch: Partial<TransferControlsProps> = {}): TransferControlsProps {
  return { who: 'Alice', address: '', otherCalls: [], enabled: true, busy: false, onAddressChange: noop, onTransfer: noop, onAttended: noop, ...patch };
}

describe('TransferControls', () => {
  it('has a labelled address field and a Transfer button enabled once an address is typed', () => {
    expect(html(<TransferControls {...props()} />)).toContain('<label for="transfer-address">Transfer Alice to</label>');
    expect(html(<TransferControls {...props()} />)).toContain('<button type="submit" disabled="">Transfer</button>');
    expect(html(<TransferControls {...props({ address: 'carol@127.0.0.1' })} />)).toContain('<button type="submit">Transfer</button>');
    expect(html(<TransferControls {...props({ address: 'carol@127.0.0.1', enabled: false })} />)).toContain('<button type="submit" disabled="">Transfer</button>');
  });

  it('offers to connect with each other call that is up (attended transfer), not one still ringing', () => {
    const el = <TransferControls {...props({ otherCalls: [carol, ringing] })} />;
    expect(text(el)).toContain('Connect with Carol');
    expect(text(el)).not.toContain('Dave');
    expect(html(<TransferControls {...props()} />)).not.toContain('Connect with');
  });

  it('transfers on submit with an address, and hands over to the call chosen', () => {
    const seen: string[] = [];
    const p = props({ address: ' ', otherCalls: [carol], onTransfer: () => seen.push('blind'), onAttended: (id) => seen.push(`attended ${id}`) });
    const submit = (tree: ReturnType<typeof TransferControls>) => (byLabel(tree, 'Transfer Alice')!.props.onSubmit as (e: Pick<FormEvent, 'preventDefault'>) => void)({ preventDefault: noop });
    submit(TransferControls(p));
    expect(seen).toEqual([]);
    submit(TransferControls({ ...p, address: 'carol@127.0.0.1' }));
    (byLabel(TransferControls(p), 'Connect Alice with Carol and leave both calls')!.props.onClick as () => void)();
    expect(seen).toEqual(['blind', 'attended 2']);
  });
});
