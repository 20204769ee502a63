/**
 * The proxy's password mask: what the client types while the server echoes (it said `WILL ECHO` and the client
 * `DO ECHO`, as servers do around a password prompt) is logged as {@link MASKED_DATA}, not as its text.
 *
 * @module
 */
import { TelnetOption } from '../index.js';
import type { TelnetEvent } from '../index.js';
import { describeEvent } from './trace.js';

/**
 * What a hidden `DATA` event reads as in the log. A fixed mask, without the byte count: the length of a password
 * is a clue too (typed in character mode, one event per key still shows how many keys).
 */
export const MASKED_DATA = 'DATA ******** (hidden while the server echoes)';

/** The log texts of one proxied connection's two directions, masking the client's input while the server echoes. */
export interface MaskedDescriptions {
  /** Describes an event the server sent (and follows its `WILL`/`WONT ECHO`). */
  readonly fromServer: (event: TelnetEvent) => string;
  /** Describes an event the client sent (and follows its `DO`/`DONT ECHO`), masking data while the server echoes. */
  readonly fromClient: (event: TelnetEvent) => string;
}

const isEcho = (event: TelnetEvent): event is Extract<TelnetEvent, { _tag: 'Negotiation' }> =>
  event._tag === 'Negotiation' && event.option === TelnetOption.ECHO;

/**
 * The descriptions of one connection's events, for its two {@link streamLog}s. ECHO counts as on from the later
 * of the server's `WILL ECHO` and the client's `DO ECHO` until either side says `WONT`/`DONT`; a client that
 * refuses (`DONT ECHO`) echoes locally, and what it types is logged.
 *
 * @example
 * ```text
 * const { fromServer, fromClient } = maskedDescriptions();
 * fromServer({ _tag: 'Negotiation', verb: 'WILL', option: 1 });
 * fromClient({ _tag: 'Negotiation', verb: 'DO', option: 1 });
 * fromClient({ _tag: 'Data', bytes: new TextEncoder().encode('secret\r\n') }); // MASKED_DATA
 * ```
 */
export const maskedDescriptions = (): MaskedDescriptions => {
  let serverWill = false;
  let clientDo = false;
  return {
    fromServer: (event) => {
      if (isEcho(event) && (event.verb === 'WILL' || event.verb === 'WONT')) serverWill = event.verb === 'WILL';
      return describeEvent(event);
    },
    fromClient: (event) => {
      if (isEcho(event) && (event.verb === 'DO' || event.verb === 'DONT')) clientDo = event.verb === 'DO';
      return event._tag === 'Data' && serverWill && clientDo ? MASKED_DATA : describeEvent(event);
    },
  };
};
