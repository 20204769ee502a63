/**
 * One-line messages for what makes the command fail: no stack traces on the terminal.
 *
 * @module
 */

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/**
 * Describes `error` in one line; `target` names the host and port involved (`'mud.example:4000'`).
 *
 * @example
 * ```text
 * describeFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), '127.0.0.1:1');
 * // 'cannot connect to 127.0.0.1:1: connection refused'
 * ```
 */
export const describeFailure = (error: unknown, target: string, action?: 'connect' | 'listen'): string => {
  const connect = action === 'listen' ? `cannot listen on ${target}` : `cannot connect to ${target}`;
  const listen = action === 'connect' ? `cannot connect to ${target}` : `cannot listen on ${target}`;
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return `${connect}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `${connect}: unknown host`;
    case 'ETIMEDOUT':
      return `${connect}: timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${connect}: unreachable`;
    case 'EADDRINUSE':
      return `${listen}: address already in use`;
    case 'EACCES':
      return `${listen}: permission denied`;
    case 'EADDRNOTAVAIL':
      return `${listen}: no such local address`;
    default:
      return firstLine(error instanceof Error ? error.message : String(error));
  }
};
