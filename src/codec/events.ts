/**
 * The events a Telnet byte stream decodes into, discriminated on `_tag`.
 *
 * Data, commands, negotiations and subnegotiations are delivered in wire order.
 *
 * @example
 * ```ts
 * import type { TelnetEvent } from 'rxtelnet';
 * const describe = (event: TelnetEvent): string => {
 *   switch (event._tag) {
 *     case 'Data': return `${event.bytes.length} bytes`;
 *     case 'Command': return `command ${event.command}`;
 *     case 'Negotiation': return `${event.verb} ${event.option}`;
 *     case 'Subnegotiation': return `SB ${event.option}`;
 *     case 'Warning': return event.code;
 *   }
 * };
 * ```
 */
export type TelnetEvent = DataEvent | CommandEvent | NegotiationEvent | SubnegotiationEvent | WarningEvent;

/**
 * The four negotiation verbs of RFC 854.
 *
 * @example
 * ```ts
 * import type { NegotiationVerb } from 'rxtelnet';
 * const asking: NegotiationVerb = 'DO';
 * ```
 */
export type NegotiationVerb = 'WILL' | 'WONT' | 'DO' | 'DONT';

/**
 * Application data, with `IAC IAC` already unescaped.
 *
 * `bytes` is usually a view into the chunk that was decoded (no copy). It stays valid as long as
 * the producer of the chunks does not reuse that memory: Node sockets never do, so keeping it is
 * safe there; copy it (`bytes.slice()`) if your source recycles its buffers.
 *
 * @example
 * ```ts
 * import { decodeAll } from 'rxtelnet';
 * import type { DataEvent } from 'rxtelnet';
 * const [hello] = decodeAll([new TextEncoder().encode('hello')]) as DataEvent[];
 * const kept = hello?.bytes.slice(); // a copy, for a source that recycles its buffers
 * ```
 */
export interface DataEvent {
  readonly _tag: 'Data';
  readonly bytes: Uint8Array;
}

/**
 * A command: `IAC` followed by a byte that is not `IAC`, `SB`, `SE`, `WILL`, `WONT`, `DO` or `DONT`.
 *
 * @example
 * ```ts
 * import { Command } from 'rxtelnet';
 * import type { CommandEvent } from 'rxtelnet';
 * const isPrompt = (event: CommandEvent): boolean => event.command === Command.GA || event.command === Command.EOR;
 * ```
 */
export interface CommandEvent {
  readonly _tag: 'Command';
  /** The byte after `IAC` (see {@link Command}); unknown bytes are reported as they are. */
  readonly command: number;
}

/**
 * `IAC WILL|WONT|DO|DONT option`.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import type { NegotiationEvent } from 'rxtelnet';
 * const asksForNaws = (event: NegotiationEvent): boolean => event.verb === 'DO' && event.option === TelnetOption.NAWS;
 * ```
 */
export interface NegotiationEvent {
  readonly _tag: 'Negotiation';
  readonly verb: NegotiationVerb;
  readonly option: number;
}

/**
 * `IAC SB option payload IAC SE`, with `IAC IAC` in the payload unescaped. The payload is a copy: keep it freely.
 *
 * @example
 * ```ts
 * import { decodeNaws, TelnetOption } from 'rxtelnet';
 * import type { SubnegotiationEvent } from 'rxtelnet';
 * const windowSize = (event: SubnegotiationEvent) => (event.option === TelnetOption.NAWS ? decodeNaws(event.payload) : undefined);
 * ```
 */
export interface SubnegotiationEvent {
  readonly _tag: 'Subnegotiation';
  readonly option: number;
  readonly payload: Uint8Array;
}

/**
 * A recoverable anomaly in the byte stream. Decoding goes on; no data before it is lost.
 *
 * - `StraySE`: `IAC SE` outside a subnegotiation (ignored).
 * - `EmptySubnegotiation`: `IAC SB IAC SE`, a subnegotiation without an option byte (ignored).
 * - `UnterminatedSubnegotiation`: `IAC x` inside a subnegotiation for `x` not `IAC` or `SE`; the partial
 *   subnegotiation is dropped and `IAC x` is decoded as if no subnegotiation had been open.
 * - `SubnegotiationTooLong`: a payload longer than the limit; the rest up to `IAC SE` is dropped.
 * - `Truncated`: the input ended inside a command or a subnegotiation, which is dropped.
 * - `NegotiationViolation`: the peer broke RFC 1143 (e.g. `WILL` in answer to our `DONT`); handled as the RFC says.
 * - `NegotiationStorm`: the peer flipped one option too often; its negotiation of that option is ignored for a while.
 * - `Inflate`, `Deflate`: a compressed stream (MCCP) could not be decoded or encoded.
 *
 * @example
 * ```ts
 * import type { WarningEvent } from 'rxtelnet';
 * const report = (event: WarningEvent): void => console.warn(`telnet: ${event.code}: ${event.detail}`);
 * ```
 */
export interface WarningEvent {
  readonly _tag: 'Warning';
  readonly code: WarningCode;
  readonly detail: string;
}

/**
 * The codes of {@link WarningEvent}.
 *
 * @example
 * ```ts
 * import type { WarningCode } from 'rxtelnet';
 * const serious: ReadonlySet<WarningCode> = new Set(['SubnegotiationTooLong', 'NegotiationStorm', 'Inflate']);
 * ```
 */
export type WarningCode =
  | 'StraySE'
  | 'EmptySubnegotiation'
  | 'UnterminatedSubnegotiation'
  | 'SubnegotiationTooLong'
  | 'Truncated'
  | 'NegotiationViolation'
  | 'NegotiationStorm'
  | 'Inflate'
  | 'Deflate'
  | 'HeldInputDropped'
  | 'CompressionUnavailable'
  | 'PolicyFailed';

/**
 * Builds a {@link DataEvent}.
 *
 * @example
 * ```ts
 * import { data } from 'rxtelnet';
 * data(new TextEncoder().encode('hello'));
 * ```
 */
export const data = (bytes: Uint8Array): DataEvent => ({ _tag: 'Data', bytes });

/**
 * Builds a {@link CommandEvent}.
 *
 * @example
 * ```ts
 * import { command, Command } from 'rxtelnet';
 * command(Command.GA);
 * ```
 */
export const command = (byte: number): CommandEvent => ({ _tag: 'Command', command: byte });

/**
 * Builds a {@link NegotiationEvent}.
 *
 * @example
 * ```ts
 * import { negotiation, TelnetOption } from 'rxtelnet';
 * negotiation('DO', TelnetOption.NAWS);
 * ```
 */
export const negotiation = (verb: NegotiationVerb, option: number): NegotiationEvent => ({
  _tag: 'Negotiation',
  verb,
  option,
});

/**
 * Builds a {@link SubnegotiationEvent}.
 *
 * @example
 * ```ts
 * import { subnegotiation, TelnetOption } from 'rxtelnet';
 * subnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24));
 * ```
 */
export const subnegotiation = (option: number, payload: Uint8Array): SubnegotiationEvent => ({
  _tag: 'Subnegotiation',
  option,
  payload,
});

/**
 * Builds a {@link WarningEvent}.
 *
 * @example
 * ```ts
 * import { warning } from 'rxtelnet';
 * warning('StraySE', 'IAC SE outside a subnegotiation');
 * ```
 */
export const warning = (code: WarningCode, detail: string): WarningEvent => ({ _tag: 'Warning', code, detail });
