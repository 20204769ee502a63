/**
 * A branded string for text chosen by the peer (environment variables, terminal types, display locations).
 */

declare const untrustedBrand: unique symbol;

/**
 * Text the peer chose, already bounded in length by the decoder that produced it, and nothing more.
 *
 * **Security**: never pass an `UntrustedString` to a program's arguments or environment, nor to a shell,
 * without validating it against what you expect. GNU inetutils telnetd passed the NEW-ENVIRON `USER`
 * variable through to `login` as an argument, and `USER='-f root'` logged in as root without a password
 * (CVE-2026-24061). A plain `string` parameter accepts an `UntrustedString` (it is a subtype), so the
 * brand only documents the origin: validate before use, e.g. with an allow-list or a strict pattern.
 *
 * @example
 * ```ts
 * import type { UntrustedString } from 'rxtelnet';
 * const safeUser = (user: UntrustedString): string | undefined =>
 *   /^[a-z_][a-z0-9_-]{0,31}$/.test(user) ? user : undefined;
 * ```
 */
export type UntrustedString = string & { readonly [untrustedBrand]: 'UntrustedString' };

/**
 * Marks decoded peer text as untrusted. Only decoders call this.
 *
 * @internal
 */
export const untrusted = (text: string): UntrustedString => text as UntrustedString;
