import { ApiError } from '../api';

/** Announces a failure (role="alert"): the API's message, never blank; an optional retry. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message =
    error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';
  const code = error instanceof ApiError && error.code !== 'error' ? error.code : null;
  return (
    <div class="error-banner" role="alert">
      <p>
        {message}
        {code && <span class="error-code"> ({code})</span>}
      </p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
