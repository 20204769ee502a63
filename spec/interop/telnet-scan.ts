/**
 * A deliberately small Telnet scanner for the capture script and interop assertions: it splits a byte stream
 * into negotiations, subnegotiations, commands and data. It is independent of the library under test, so the
 * transcripts do not depend on the code they will check.
 */
import { commandName } from '../../src/protocol/commands.js';
import { optionName } from '../../src/protocol/options.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const WILL = 251;
const DONT = 254;

/** One unit of a Telnet stream. */
export type ScanItem =
  | { readonly kind: 'data'; readonly bytes: Buffer }
  | { readonly kind: 'negotiation'; readonly verb: 'WILL' | 'WONT' | 'DO' | 'DONT'; readonly option: number }
  | { readonly kind: 'subnegotiation'; readonly option: number; readonly payload: Buffer }
  | { readonly kind: 'command'; readonly command: number };

const verbs = ['WILL', 'WONT', 'DO', 'DONT'] as const;

/**
 * Incremental scanner: feed chunks with {@link TelnetScanner.push}, get the complete items each one finishes.
 *
 * @example
 * ```ts
 * const items = new TelnetScanner().push(Buffer.from('fffd18', 'hex')); // [{ kind: 'negotiation', verb: 'DO', option: 24 }]
 * ```
 */
export class TelnetScanner {
  private pending: Buffer = Buffer.alloc(0);

  /** Scans `chunk` after whatever an earlier chunk left incomplete. */
  push(chunk: Uint8Array): ScanItem[] {
    const buf = Buffer.concat([this.pending, chunk]);
    const items: ScanItem[] = [];
    let data: number[] = [];
    const flush = (): void => {
      if (data.length > 0) items.push({ kind: 'data', bytes: Buffer.from(data) });
      data = [];
    };
    let i = 0;
    while (i < buf.length) {
      const byte = buf[i]!;
      if (byte !== IAC) {
        data.push(byte);
        i += 1;
        continue;
      }
      const next = buf[i + 1];
      if (next === undefined) break;
      if (next === IAC) {
        data.push(IAC);
        i += 2;
      } else if (next >= WILL && next <= DONT) {
        const option = buf[i + 2];
        if (option === undefined) break;
        flush();
        items.push({ kind: 'negotiation', verb: verbs[next - WILL]!, option });
        i += 3;
      } else if (next === SB) {
        const end = findSubnegotiationEnd(buf, i + 2);
        if (end < 0) break;
        flush();
        const body = unescape(buf.subarray(i + 2, end));
        items.push({ kind: 'subnegotiation', option: body[0] ?? -1, payload: body.subarray(1) });
        i = end + 2;
      } else {
        flush();
        items.push({ kind: 'command', command: next });
        i += 2;
      }
    }
    flush();
    this.pending = Buffer.from(buf.subarray(i));
    return items;
  }
}

const findSubnegotiationEnd = (buf: Buffer, from: number): number => {
  for (let i = buf.indexOf(IAC, from); i >= 0 && i + 1 < buf.length; i = buf.indexOf(IAC, i + 2)) {
    if (buf[i + 1] === SE) return i;
    if (buf[i + 1] !== IAC) return i; // malformed: IAC <other> inside SB ends it here
  }
  return -1;
};

const unescape = (body: Buffer): Buffer => {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    out.push(body[i]!);
    if (body[i] === IAC && body[i + 1] === IAC) i += 1;
  }
  return Buffer.from(out);
};

/** Scans a whole byte string at once. */
export const scan = (bytes: Uint8Array): ScanItem[] => new TelnetScanner().push(bytes);

const printable = (bytes: Buffer): string =>
  JSON.stringify(bytes.toString('latin1')).replace(/[\u007f-\u00ff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);

/** A one-line human summary of an item, e.g. `DO TTYPE` or `SB TTYPE 00"xterm"`. */
export const describeItem = (item: ScanItem): string => {
  switch (item.kind) {
    case 'data':
      return printable(item.bytes);
    case 'negotiation':
      return `${item.verb} ${optionName(item.option)}`;
    case 'command':
      return commandName(item.command);
    case 'subnegotiation': {
      const [first] = item.payload;
      const head = first === undefined ? '' : first.toString(16).padStart(2, '0');
      return `SB ${optionName(item.option)} ${head}${printable(item.payload.subarray(1))}`;
    }
  }
};
