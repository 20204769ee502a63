/**
 * The client side of a MUD connection in one subscription: TTYPE, NAWS and CHARSET answered together. The
 * matching negotiation policies are in `options/presets`.
 */
import { EMPTY, map, merge, type Observable } from 'rxjs';
import type { TelnetConnection } from '../session/connection.js';
import { answerCharset } from './charset.js';
import { type WindowSize } from '../options/naws.js';
import { sendWindowSize } from './naws.js';
import { answerTerminalType } from './ttype.js';

/**
 * What {@link standardMudClient} does, as it does it.
 *
 * @example
 * ```ts
 * import type { MudClientEvent } from 'rxtelnet/mud';
 * const log = (event: MudClientEvent): string => event._tag;
 * ```
 */
export type MudClientEvent =
  | { readonly _tag: 'WindowSizeSent'; readonly size: WindowSize }
  | { readonly _tag: 'TerminalTypeSent'; readonly name: string }
  | { readonly _tag: 'CharsetAccepted'; readonly charset: string };

/**
 * What {@link standardMudClient} reports to the server.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import type { StandardMudClientOptions } from 'rxtelnet/mud';
 * const options: StandardMudClientOptions = { terminalTypes: ['MYCLIENT', 'ANSI'], windowSizes: of({ width: 80, height: 24 }) };
 * ```
 */
export interface StandardMudClientOptions {
  /** The TTYPE answers, in order ({@link answerTerminalType}); `mttsTerminalTypes` builds the MTTS ones. */
  readonly terminalTypes: readonly [string, ...string[]];
  /** The window sizes to report with NAWS ({@link sendWindowSize}). */
  readonly windowSizes: Observable<WindowSize>;
  /** The character sets to accept in CHARSET requests ({@link answerCharset}). Default: none (no answers). */
  readonly charsets?: readonly string[];
}

/**
 * The client side of a MUD connection in one subscription: answers TTYPE, reports window sizes with NAWS and, when
 * `charsets` is given, answers CHARSET requests; emits what it sent and completes when the connection closes.
 * Use it with `mudClientPolicy`, which accepts these options when the server asks.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { createConnection } from 'rxtelnet';
 * import { mudClientPolicy, standardMudClient } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: mudClientPolicy });
 * standardMudClient(connection, {
 *   terminalTypes: ['MYCLIENT', 'XTERM-256COLOR', 'MTTS 2317'],
 *   windowSizes: of({ width: 120, height: 40 }),
 *   charsets: ['UTF-8'],
 * }).subscribe((event) => console.log(event));
 * ```
 */
export const standardMudClient = (
  connection: TelnetConnection,
  options: StandardMudClientOptions,
): Observable<MudClientEvent> =>
  merge(
    answerTerminalType(connection, options.terminalTypes).pipe(
      map((name): MudClientEvent => ({ _tag: 'TerminalTypeSent', name })),
    ),
    sendWindowSize(connection, options.windowSizes).pipe(
      map((size): MudClientEvent => ({ _tag: 'WindowSizeSent', size })),
    ),
    options.charsets === undefined
      ? EMPTY
      : answerCharset(connection, options.charsets).pipe(
          map((charset): MudClientEvent => ({ _tag: 'CharsetAccepted', charset })),
        ),
  );
