// Errors in words where they happen; each can be dismissed. A live region, so they are heard.
import type { ShownError } from '../state/errors';

export interface ErrorBannerProps {
  errors: readonly ShownError[];
  onDismiss(id: number): void;
}

export function ErrorBanner({ errors, onDismiss }: ErrorBannerProps) {
  return (
    <div className="error-banner" role="alert" aria-live="assertive" data-testid="error-banner">
      {errors.map((e) => (
        <p key={e.id} className="error" data-scope={e.scope}>
          <span>{e.message}</span>
          <button type="button" className="small" aria-label={`Dismiss: ${e.message}`} onClick={() => onDismiss(e.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
