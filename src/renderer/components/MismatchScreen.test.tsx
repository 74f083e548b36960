import { describe, it, expect } from 'vitest';
import { MismatchScreen } from './MismatchScreen';
import { html, noop, text } from './render';

describe('MismatchScreen', () => {
  it('says the call was hung up, that someone may be listening, and what to do next', () => {
    const el = <MismatchScreen who="Bob" onCallAgain={noop} onClose={noop} />;
    expect(html(el)).toContain('role="alertdialog" aria-labelledby="mismatch-title"');
    expect(text(el)).toContain('The security codes did not match');
    expect(text(el)).toContain('The call with Bob was hung up. Someone may have been listening');
    expect(text(el)).toContain('Reach Bob another way');
    expect(text(el)).toContain('Bob is marked as not verified');
    expect(html(el)).toContain('>Call Bob again</button>');
  });
});
