/**
 * Ready-made negotiation policies for MUD clients and servers, and the usual client-side helpers in one call.
 */
import { policyOf, type NegotiationPolicy } from '../negotiation/policy.js';
import { TelnetOption } from '../protocol/options.js';

/** The options a MUD client performs: the server's `remote` list mirrors them. */
const mudClientPerforms = [TelnetOption.NAWS, TelnetOption.TTYPE, TelnetOption.NEW_ENVIRON, TelnetOption.CHARSET];

/** The options a MUD server performs: the client's `remote` list mirrors them, with ECHO. */
const mudServerPerforms = [
  TelnetOption.SGA,
  TelnetOption.EOR,
  TelnetOption.CHARSET,
  TelnetOption.GMCP,
  TelnetOption.MSDP,
  TelnetOption.MSSP,
  TelnetOption.MCCP2,
  TelnetOption.MCCP3,
];

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
 * import { createConnection } from 'rxtelnet';
 * import { mudClientPolicy } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: mudClientPolicy });
 * ```
 */
export const mudClientPolicy: NegotiationPolicy = policyOf({
  local: mudClientPerforms,
  remote: [TelnetOption.ECHO, ...mudServerPerforms],
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
 * import { mudServerPolicy } from 'rxtelnet/mud';
 * import { listenTelnet } from 'rxtelnet/node';
 *
 * listenTelnet({ port: 4000, policy: mudServerPolicy }).subscribe();
 * ```
 */
export const mudServerPolicy: NegotiationPolicy = policyOf({
  local: mudServerPerforms,
  remote: mudClientPerforms,
});
