/**
 * A connection that could not be made or that failed: refused, unreachable, timed out, reset, aborted,
 * or a TLS handshake that did not verify.
 *
 * `code` is the system or TLS error code Node reported (`'ECONNREFUSED'`, `'ENOTFOUND'`, `'ECONNRESET'`,
 * `'EADDRINUSE'`, `'DEPTH_ZERO_SELF_SIGNED_CERT'`, ...), or one of the adapter's own: `'ETIMEDOUT'` when the
 * connect timeout expires, `'ABORT_ERR'` when the `AbortSignal` fires. The original error is the `cause`.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { connectTcp, TransportError } from 'rxtelnet/node';
 * try {
 *   await firstValueFrom(connectTcp({ host: '127.0.0.1', port: 1 }));
 * } catch (error) {
 *   if (error instanceof TransportError && error.code === 'ECONNREFUSED') console.log('nobody listens');
 * }
 * ```
 */
export class TransportError extends Error {
  readonly _tag = 'TransportError';
  override readonly name = 'TransportError';

  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

const codeOf = (error: unknown): string => {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return 'EUNKNOWN';
};

/** Wraps whatever a socket or server reported into a {@link TransportError}, keeping it as the `cause`. */
export const toTransportError = (error: unknown): TransportError => {
  if (error instanceof TransportError) return error;
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  return new TransportError(codeOf(error), message, { cause: error });
};
