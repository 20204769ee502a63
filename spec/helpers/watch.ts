import type { Observable, Subscription } from 'rxjs';

/** What an Observable did so far: its values, its error, whether it completed. */
export interface Seen<T> {
  readonly values: T[];
  error?: unknown;
  completed: boolean;
}

/** Subscribes and records what the Observable does, for synchronous assertions. */
export const watch = <T>(source: Observable<T>): { readonly seen: Seen<T>; readonly subscription: Subscription } => {
  const seen: Seen<T> = { values: [], completed: false };
  const subscription = source.subscribe({
    next: (value) => seen.values.push(value),
    error: (error: unknown) => {
      seen.error = error;
    },
    complete: () => {
      seen.completed = true;
    },
  });
  return { seen, subscription };
};
