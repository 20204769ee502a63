import { TransportError } from '../../negotiation/errors.js';

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
