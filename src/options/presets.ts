/**
 * Ready-made negotiation policies for MUD clients and servers, and the usual client-side helpers in one call.
 */
import { EMPTY, map, merge, type Observable } from 'rxjs';
import { policyOf, type NegotiationPolicy } from '../negotiation/policy.js';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { answerCharset } from './charset.js';
import { sendWindowSize, type WindowSize } from './naws.js';
import { answerTerminalType } from './ttype.js';

/**
 * What a MUD client agrees to when the server asks (everything else is refused):
 *
 * | we perform (`local`, answer `DO` with `WILL`) | the server performs (`remote`, answer `WILL` with `DO`) |
 * | --- | --- |
 * | NAWS, TTYPE, NEW-ENVIRON, CHARSET | ECHO, SGA, EOR, CHARSET, GMCP, MSDP, MSSP, MCCP2, MCCP3 |
 *
 * MCCP2 and MCCP3 compress only when the connection has a `compression` engine (`rxtelnet/node` connections
 * do). BINARY is left out: in a direction where it is on, newlines are no longer translated.
 *
 * @example
 * ```ts
 * import { createConnection, mudClientPolicy } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: mudClientPolicy });
 * ```
 */
export const mudClientPolicy: NegotiationPolicy = policyOf({
  local: [TelnetOption.NAWS, TelnetOption.TTYPE, TelnetOption.NEW_ENVIRON, TelnetOption.CHARSET],
  remote: [
    TelnetOption.ECHO,
    TelnetOption.SGA,
    TelnetOption.EOR,
    TelnetOption.CHARSET,
    TelnetOption.GMCP,
    TelnetOption.MSDP,
    TelnetOption.MSSP,
    TelnetOption.MCCP2,
    TelnetOption.MCCP3,
  ],
});

/**
 * What a MUD server agrees to when the client asks (everything else, LINEMODE included, is refused):
 *
 * | we perform (`local`, answer `DO` with `WILL`) | the client performs (`remote`, answer `WILL` with `DO`) |
 * | --- | --- |
 * | SGA, EOR, CHARSET, GMCP, MSDP, MSSP, MCCP2, MCCP3 | NAWS, TTYPE, NEW-ENVIRON, CHARSET |
 *
 * ECHO is not in it: a server turns it on itself, around password prompts (`hideInput`).
 * A server usually offers its options first: `will(TelnetOption.GMCP)`, `do(TelnetOption.TTYPE)`, and so on.
 *
 * @example
 * ```ts
 * import { mudServerPolicy } from 'rxtelnet';
 * import { listen } from 'rxtelnet/node';
 *
 * listen({ port: 4000, policy: mudServerPolicy }).subscribe();
 * ```
 */
export const mudServerPolicy: NegotiationPolicy = policyOf({
  local: [
    TelnetOption.SGA,
    TelnetOption.EOR,
    TelnetOption.CHARSET,
    TelnetOption.GMCP,
    TelnetOption.MSDP,
    TelnetOption.MSSP,
    TelnetOption.MCCP2,
    TelnetOption.MCCP3,
  ],
  remote: [TelnetOption.NAWS, TelnetOption.TTYPE, TelnetOption.NEW_ENVIRON, TelnetOption.CHARSET],
});

/**
 * What {@link standardMudClient} does, as it does it.
 *
 * @example
 * ```ts
 * import type { MudClientEvent } from 'rxtelnet';
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
 * import type { StandardMudClientOptions } from 'rxtelnet';
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
 * Use it with {@link mudClientPolicy}, which accepts these options when the server asks.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { createConnection, mudClientPolicy, standardMudClient } from 'rxtelnet';
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
