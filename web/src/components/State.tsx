import type { ComponentChildren } from 'preact';
import type { Polled } from '../poll';

// Loading, empty and error states, so no page is ever a blank area.

export function Loading({ what }: { what: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <strong>Could not load this.</strong>
      <p>{error.message}</p>
      {retry ? (
        <button type="button" class="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Renders the loading or error state until the first answer, then the page (with a stale-data notice on errors). */
export function Polled<T>({ polled, what, children }: { polled: Polled<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (polled.data === undefined) {
    if (polled.error) return <ErrorBox error={polled.error} retry={polled.refresh} />;
    return <Loading what={what} />;
  }
  return (
    <>
      {polled.error ? (
        <p class="stale" role="status">
          Showing the last answer: {polled.error.message}
        </p>
      ) : null}
      {children(polled.data)}
    </>
  );
}
