import { describe, expect, it } from 'vitest';
import { describeIceFailure, describePath } from './ice-words';

describe('ICE in words', () => {
  it('names the path: direct, through the router, through a relay', () => {
    expect(describePath('host')).toBe('Direct');
    expect(describePath('srflx')).toBe("Through your router's public address");
    expect(describePath('prflx')).toBe("Through your router's public address");
    expect(describePath('relay')).toBe('Through a relay (TURN)');
  });

  it('says which part failed', () => {
    expect(describeIceFailure('turn-auth')).toBe('the TURN server refused the user name or password');
    expect(describeIceFailure('turn-unreachable')).toBe('the TURN server did not answer');
    expect(describeIceFailure('no-path')).toMatch(/^no network path to the other phone: .*no TURN server is set$/);
  });
});
