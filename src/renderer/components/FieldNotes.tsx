// A form field's hint and its own error beside it, as the account, network and ICE fields show
// them: the input names both in its aria-describedby (`${id}-hint`, `${id}-error`), and the error
// carries the field's name in data-field.

export interface FieldNotesProps {
  /** The input's id; the notes' ids derive from it. */
  id: string;
  /** The field's name, for data-field on the error. */
  field: string;
  hint?: string;
  error: string | undefined;
}

export function FieldNotes({ id, field, hint, error }: FieldNotesProps) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-field={field}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** The input's aria-describedby: its hint, then its error, those it has; undefined when neither. */
export function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}
