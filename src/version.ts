/**
 * The version of this package, as in its package.json (a test keeps the two equal).
 *
 * @example
 * ```ts
 * import { VERSION } from 'rxtelnet';
 * console.log(`rxtelnet ${VERSION}`);
 * ```
 */
export const VERSION = '0.1.0';
