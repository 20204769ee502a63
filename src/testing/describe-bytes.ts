import { Command, commandName } from '../protocol/commands.js';
import { optionName } from '../protocol/options.js';

const { IAC, SB, SE, WILL, WONT, DO, DONT } = Command;
const negotiationVerbs: ReadonlySet<number> = new Set([WILL, WONT, DO, DONT]);
const escapes: ReadonlyMap<number, string> = new Map([
  [0x0d, '\\r'],
  [0x0a, '\\n'],
  [0x09, '\\t'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

const isPrintable = (byte: number): boolean => byte >= 0x20 && byte < 0x7f;
const hex = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`;
const escapeByte = (byte: number): string =>
  escapes.get(byte) ?? (isPrintable(byte) ? String.fromCharCode(byte) : hex(byte));

/** A run of data bytes as a quoted string, or a subnegotiation payload as numbers with its text runs quoted. */
const quote = (bytes: readonly number[]): string => `"${bytes.map(escapeByte).join('')}"`;

const payloadTokens = (bytes: readonly number[]): string[] => {
  const tokens: string[] = [];
  let text: number[] = [];
  const flush = (): void => {
    if (text.length >= 2) tokens.push(quote(text));
    else tokens.push(...text.map(String));
    text = [];
  };
  for (const byte of bytes) {
    if (isPrintable(byte)) text.push(byte);
    else {
      flush();
      tokens.push(String(byte));
    }
  }
  flush();
  return tokens;
};

/**
 * Renders bytes for a reader: data as quoted strings with escapes (`"login: \r\n"`), Telnet commands by name
 * (`IAC WILL ECHO`, `IAC GA`), subnegotiations with their payload as numbers and quoted text
 * (`IAC SB NAWS 0 80 0 24 IAC SE`), an escaped 255 in data as `IAC IAC`. The scripted peer's errors use it.
 *
 * @example
 * ```ts
 * import { describeBytes } from 'rxtelnet/testing';
 * describeBytes([104, 105, 13, 10, 255, 249]); // '"hi\r\n" IAC GA'
 * ```
 */
export const describeBytes = (bytes: Uint8Array | readonly number[]): string => {
  const all = [...bytes];
  if (all.length === 0) return '(nothing)';
  const tokens: string[] = [];
  let text: number[] = [];
  const flushText = (): void => {
    if (text.length > 0) tokens.push(quote(text));
    text = [];
  };
  let index = 0;
  while (index < all.length) {
    const byte = all[index] ?? 0;
    if (byte !== IAC) {
      text.push(byte);
      index++;
      continue;
    }
    flushText();
    const next = all[index + 1];
    if (next === undefined) {
      tokens.push('IAC');
      index++;
    } else if (negotiationVerbs.has(next)) {
      const option = all[index + 2];
      tokens.push(`IAC ${commandName(next)}${option === undefined ? '' : ` ${optionName(option)}`}`);
      index += 3;
    } else if (next === SB) {
      const option = all[index + 2];
      let end = index + 3;
      const payload: number[] = [];
      while (end < all.length && !(all[end] === IAC && all[end + 1] === SE)) {
        const value = all[end] ?? 0;
        payload.push(value);
        end += value === IAC && all[end + 1] === IAC ? 2 : 1;
      }
      const closed = end < all.length;
      const head = `IAC SB${option === undefined ? '' : ` ${optionName(option)}`}`;
      tokens.push([head, ...payloadTokens(payload), ...(closed ? ['IAC SE'] : [])].join(' '));
      index = closed ? end + 2 : end;
    } else {
      tokens.push(`IAC ${commandName(next)}`);
      index += 2;
    }
  }
  flushText();
  return tokens.join(' ');
};
