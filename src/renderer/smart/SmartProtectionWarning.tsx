import { ProtectionWarning } from '../components/ProtectionWarning';
import { useProtectionLowered, useVouchStore } from '../state/store';

export function SmartProtectionWarning() {
  const changes = useProtectionLowered();
  const dismiss = useVouchStore((s) => s.dismissProtectionWarning);
  return <ProtectionWarning changes={changes} onDismiss={dismiss} />;
}
