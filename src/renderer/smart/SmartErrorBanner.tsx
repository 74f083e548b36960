import { ErrorBanner } from '../components/ErrorBanner';
import { useErrors, useVouchStore } from '../state/store';

export function SmartErrorBanner() {
  const errors = useErrors();
  const dismiss = useVouchStore((s) => s.dismissError);
  return <ErrorBanner errors={errors} onDismiss={dismiss} />;
}
