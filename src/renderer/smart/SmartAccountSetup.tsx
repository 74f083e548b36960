// First-run setup connected to AppCore: validates field by field (after the first attempt, then
// as the user types), saves through updateSettings, and maps AppCore's own field errors back.
import { useState } from 'react';
import { VouchApiError } from '../../shared/api';
import { vouchApi } from '../api/session';
import { AccountSetup } from '../components/AccountSetup';
import { accountDraftOf, accountPatch } from '../state/settings-draft';
import { useSettings, useVouchStore } from '../state/store';
import { accountFieldOf, hasErrors, validateAccount, type AccountDraft, type AccountErrors } from '../state/validate-account';
import { describeFailure } from '../state/words';

export function SmartAccountSetup() {
  const settings = useSettings();
  const finishSetup = useVouchStore((s) => s.finishSetup);
  const [draft, setDraft] = useState<AccountDraft | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<AccountErrors>({});
  const [saving, setSaving] = useState(false);
  const [submitError, setSubmitError] = useState('');
  if (!settings) return null;
  const current = draft ?? accountDraftOf(settings);
  const hasStoredPassword = settings.account.hasPassword;
  const errors = attempted ? { ...validateAccount(current, { hasStoredPassword }), ...serverErrors } : {};

  const save = async () => {
    setAttempted(true);
    setServerErrors({});
    setSubmitError('');
    if (hasErrors(validateAccount(current, { hasStoredPassword }))) return;
    setSaving(true);
    try {
      await vouchApi().invoke('updateSettings', { patch: { account: accountPatch(current) } });
      finishSetup();
    } catch (e) {
      const field = e instanceof VouchApiError ? accountFieldOf(e.field) : null;
      if (field) setServerErrors({ [field]: e instanceof Error ? e.message : String(e) });
      else setSubmitError(describeFailure('save your account', e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <AccountSetup
      draft={current}
      errors={errors}
      hasStoredPassword={hasStoredPassword}
      saving={saving}
      submitError={submitError}
      onChange={(patch) => {
        setDraft({ ...current, ...patch });
        setServerErrors({});
      }}
      onSubmit={() => void save()}
    />
  );
}
