import type { TelnetEvent } from '../../src/codec/events.js';

/** An event with its byte arrays as plain number arrays, for deep comparison. */
export type PlainEvent =
  | { readonly _tag: 'Data'; readonly bytes: number[] }
  | { readonly _tag: 'Command'; readonly command: number }
  | { readonly _tag: 'Negotiation'; readonly verb: string; readonly option: number }
  | { readonly _tag: 'Subnegotiation'; readonly option: number; readonly payload: number[] }
  | { readonly _tag: 'Warning'; readonly code: string; readonly detail: string };

/** Events as plain values, with adjacent Data events merged and empty ones removed (data runs may split anywhere). */
export const normalize = (events: readonly TelnetEvent[]): PlainEvent[] => {
  const out: PlainEvent[] = [];
  for (const event of events) {
    switch (event._tag) {
      case 'Data': {
        if (event.bytes.length === 0) break;
        const last = out[out.length - 1];
        if (last?._tag === 'Data') last.bytes.push(...event.bytes);
        else out.push({ _tag: 'Data', bytes: [...event.bytes] });
        break;
      }
      case 'Subnegotiation':
        out.push({ _tag: 'Subnegotiation', option: event.option, payload: [...event.payload] });
        break;
      default:
        out.push({ ...event });
    }
  }
  return out;
};

/** The bytes of every Data event, concatenated. */
export const dataOf = (events: readonly TelnetEvent[]): number[] =>
  events.flatMap((event) => (event._tag === 'Data' ? [...event.bytes] : []));
