// A field's hint and error: present only when given, with the ids aria-describedby names.
import { describe, expect, it } from 'vitest';
import { describedBy, FieldNotes } from './FieldNotes';
import { html } from './render';

describe('FieldNotes', () => {
  it('shows the hint and the error with the ids the input names', () => {
    expect(html(<FieldNotes id="x-port" field="port" hint="5060 by default." error="Enter a port." />)).toBe(
      '<p class="hint" id="x-port-hint">5060 by default.</p><p class="field-error" id="x-port-error" data-field="port">Enter a port.</p>',
    );
    expect(describedBy('x-port', '5060 by default.', 'Enter a port.')).toBe('x-port-hint x-port-error');
  });

  it('shows neither when there is neither, and the input then names none', () => {
    expect(html(<FieldNotes id="x-port" field="port" error={undefined} />)).toBe('');
    expect(describedBy('x-port', undefined, undefined)).toBeUndefined();
    expect(describedBy('x-port', undefined, 'Enter a port.')).toBe('x-port-error');
  });
});
