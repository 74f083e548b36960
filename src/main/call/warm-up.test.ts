// The start-up warm-up must walk the whole answer (parse, offer/answer, 200 with SDP): a sample
// INVITE that the parsers or the offer/answer refused would warm nothing and say nothing.
import { describe, expect, it } from 'vitest';
import { warmCallPath } from './warm-up';

describe('warmCallPath', () => {
  it('answers its made-up INVITE with a 200 and SDP, every time it runs', () => {
    expect(warmCallPath().answered).toBe(true);
    expect(warmCallPath().answered).toBe(true);
  });
});
