import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { contactNameFor } from './contact-name';

describe('contactNameFor', () => {
  it('takes the display name the call carried', () => {
    expect(contactNameFor('  Bob Smith ', 'sip:bob@example.org')).toBe('Bob Smith');
  });

  it('else the user part of the address, without scheme, password, parameters or escapes', () => {
    expect(contactNameFor('', 'sip:bob@127.0.0.1:5099')).toBe('bob');
    expect(contactNameFor(undefined, 'sips:alice@example.org;transport=tls')).toBe('alice');
    expect(contactNameFor('', '<sip:carol:secret@example.org>')).toBe('carol');
    expect(contactNameFor('', 'sip:+4930123;phone-context=example.org@gw.example.org')).toBe('+4930123');
    expect(contactNameFor('', 'sip:j%20doe@example.org')).toBe('j doe');
  });

  it('else the host', () => {
    expect(contactNameFor('', 'sip:192.0.2.7:5060')).toBe('192.0.2.7:5060');
    expect(contactNameFor('', 'sip:example.org;transport=tcp')).toBe('example.org');
  });

  it('never throws and never gives an empty name', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), fc.string(), (display, uri) => {
        expect(contactNameFor(display, uri).trim()).not.toBe('');
      }),
    );
    expect(contactNameFor('', 'sip:%zz@x')).toBe('%zz');
  });
});
