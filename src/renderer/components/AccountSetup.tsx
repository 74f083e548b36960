// First run: who you are and how you reach people, validated field by field.
import type { FormEvent } from 'react';
import { AccountFields, type AccountFieldsProps } from './AccountFields';

export interface AccountSetupProps extends AccountFieldsProps {
  saving: boolean;
  /** A failure of the save itself (AppCore refused), in words. */
  submitError: string;
  onSubmit(): void;
}

export function AccountSetup({ saving, submitError, onSubmit, ...fields }: AccountSetupProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const errorCount = Object.keys(fields.errors).length;
  return (
    <section className="panel setup" aria-labelledby="setup-title">
      <h2 id="setup-title">Set up your account</h2>
      <p className="muted">Tell Vouch who you are. You can change this later in Settings.</p>
      <form noValidate onSubmit={submit} aria-label="Account setup">
        <AccountFields {...fields} />
        <div role="status" aria-live="polite" className="form-summary">
          {errorCount > 0 ? `Please correct ${errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below.` : ''}
        </div>
        {submitError ? (
          <p className="field-error" role="alert">
            {submitError}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save and continue'}
        </button>
      </form>
    </section>
  );
}
