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
export const describeFailure = (error: unknown, target: string): string => {
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return `cannot connect to ${target}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `cannot connect to ${target}: unknown host`;
    case 'ETIMEDOUT':
      return `cannot connect to ${target}: timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot connect to ${target}: unreachable`;
    case 'EADDRINUSE':
      return `cannot listen on ${target}: address already in use`;
    case 'EACCES':
      return `cannot listen on ${target}: permission denied`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${target}: no such local address`;
    default:
      return firstLine(error instanceof Error ? error.message : String(error));
  }
};
