/**
 * MSDP, the MUD Server Data Protocol (option 69): variables with string, array and table values.
 *
 * Grammar: `VAR name VAL value [VAL value]...`, where a value is a string (bytes up to the next control byte),
 * `TABLE_OPEN (VAR key VAL value)... TABLE_CLOSE` or `ARRAY_OPEN (VAL value)... ARRAY_CLOSE`. Several VALs after
 * one VAR make an array (the form of the commands `REPORT a b`). Strings are UTF-8.
 *
 * Repeated names: the decoded top-level list keeps every variable in wire order ({@link msdpRecord} keeps the
 * last); inside a table the last value of a key wins.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { concatBytes, decodeUtf8, encodeUtf8, nullPrototypeRecord } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The MSDP control bytes.
 *
 * @internal
 */
export const MsdpByte = { VAR: 1, VAL: 2, TABLE_OPEN: 3, TABLE_CLOSE: 4, ARRAY_OPEN: 5, ARRAY_CLOSE: 6 } as const;

/**
 * An MSDP value: a string, an array of values, or a table of values by key.
 *
 * @example
 * ```ts
 * import type { MsdpValue } from 'rxtelnet/mud';
 * const room: MsdpValue = { VNUM: '6008', EXITS: { n: '6011' }, TERRAIN: ['inside'] };
 * ```
 */
export type MsdpValue = string | readonly MsdpValue[] | MsdpTable;

/**
 * An MSDP table. Decoded tables have no prototype, so a key such as `__proto__` stays plain data.
 *
 * @example
 * ```ts
 * import type { MsdpTable } from 'rxtelnet/mud';
 * const exits: MsdpTable = { n: '6011', e: '6007' };
 * ```
 */
export interface MsdpTable {
  readonly [key: string]: MsdpValue;
}

/**
 * One top-level MSDP variable.
 *
 * @example
 * ```ts
 * import type { MsdpVariable } from 'rxtelnet/mud';
 * const health: MsdpVariable = { name: 'HEALTH', value: '500' };
 * ```
 */
export interface MsdpVariable {
  readonly name: string;
  readonly value: MsdpValue;
}

/**
 * The deepest nesting of tables and arrays accepted by default: 16.
 *
 * @example
 * ```ts
 * import { MAX_MSDP_DEPTH } from 'rxtelnet/mud';
 * MAX_MSDP_DEPTH; // 16
 * ```
 */
export const MAX_MSDP_DEPTH = 16;

const isControl = (byte: number): boolean => byte >= MsdpByte.VAR && byte <= MsdpByte.ARRAY_CLOSE;

/** A recursive-descent reader over one payload; `index` only moves forward. */
class MsdpReader {
  private index = 0;

  constructor(
    private readonly payload: Uint8Array,
    private readonly maxDepth: number,
  ) {}

  get done(): boolean {
    return this.index >= this.payload.length;
  }

  private peek(): number {
    return this.payload[this.index] ?? -1;
  }

  private fail(detail: string): E.Either<PayloadError, never> {
    return E.left(payloadError(TelnetOption.MSDP, `offset ${this.index}`, detail));
  }

  private readString(): E.Either<PayloadError, string> {
    const start = this.index;
    while (!this.done && !isControl(this.peek())) this.index += 1;
    return decodeUtf8(TelnetOption.MSDP, `offset ${start}`, this.payload.subarray(start, this.index));
  }

  /** `VAR name (VAL value)*`: no VAL gives '', one VAL its value, several an array. */
  readVariable(depth: number): E.Either<PayloadError, MsdpVariable> {
    if (this.peek() !== MsdpByte.VAR) return this.fail('expected VAR (1)');
    this.index += 1;
    const name = this.readString();
    if (E.isLeft(name)) return name;
    const values: MsdpValue[] = [];
    while (this.peek() === MsdpByte.VAL) {
      this.index += 1;
      const value = this.readValue(depth);
      if (E.isLeft(value)) return value;
      values.push(value.right);
    }
    const [only, ...more] = values;
    return E.right({ name: name.right, value: only === undefined ? '' : more.length === 0 ? only : values });
  }

  private readValue(depth: number): E.Either<PayloadError, MsdpValue> {
    const opener = this.peek();
    if (opener !== MsdpByte.TABLE_OPEN && opener !== MsdpByte.ARRAY_OPEN) return this.readString();
    if (depth >= this.maxDepth) return this.fail(`nesting deeper than ${this.maxDepth}`);
    this.index += 1;
    return opener === MsdpByte.TABLE_OPEN ? this.readTable(depth + 1) : this.readArray(depth + 1);
  }

  private readTable(depth: number): E.Either<PayloadError, MsdpValue> {
    const table = nullPrototypeRecord<MsdpValue>();
    while (this.peek() !== MsdpByte.TABLE_CLOSE) {
      if (this.done) return this.fail('table not closed');
      const variable = this.readVariable(depth);
      if (E.isLeft(variable)) return variable;
      table[variable.right.name] = variable.right.value;
    }
    this.index += 1;
    return E.right(table);
  }

  private readArray(depth: number): E.Either<PayloadError, MsdpValue> {
    const items: MsdpValue[] = [];
    while (this.peek() !== MsdpByte.ARRAY_CLOSE) {
      if (this.done) return this.fail('array not closed');
      if (this.peek() !== MsdpByte.VAL) return this.fail('expected VAL (2) or ARRAY_CLOSE (6)');
      this.index += 1;
      const item = this.readValue(depth);
      if (E.isLeft(item)) return item;
      items.push(item.right);
    }
    this.index += 1;
    return E.right(items);
  }
}

/**
 * Decodes an MSDP payload into its top-level variables, in wire order, nesting at most `maxDepth` deep.
 *
 * @example
 * ```ts
 * import { decodeMsdp } from 'rxtelnet/mud';
 * // VAR "HEALTH" VAL "500"
 * decodeMsdp(Uint8Array.of(1, 0x48, 0x45, 0x41, 0x4c, 0x54, 0x48, 2, 0x35, 0x30, 0x30));
 * // right([{ name: 'HEALTH', value: '500' }])
 * ```
 */
export const decodeMsdp = (
  payload: Uint8Array,
  maxDepth: number = MAX_MSDP_DEPTH,
): E.Either<PayloadError, readonly MsdpVariable[]> => {
  const reader = new MsdpReader(payload, maxDepth);
  const variables: MsdpVariable[] = [];
  while (!reader.done) {
    const variable = reader.readVariable(0);
    if (E.isLeft(variable)) return variable;
    variables.push(variable.right);
  }
  return E.right(variables);
};

/**
 * The variables as one table; a repeated name keeps its last value.
 *
 * @example
 * ```ts
 * import { msdpRecord } from 'rxtelnet/mud';
 * msdpRecord([{ name: 'HP', value: '1' }, { name: 'HP', value: '2' }]); // { HP: '2' }
 * ```
 */
export const msdpRecord = (variables: readonly MsdpVariable[]): MsdpTable => {
  const table = nullPrototypeRecord<MsdpValue>();
  for (const variable of variables) table[variable.name] = variable.value;
  return table;
};

/** UTF-8 bytes of `text` without the bytes 1..6, which MSDP text cannot carry. */
const encodeText = (text: string): Uint8Array => {
  const bytes = encodeUtf8(text);
  return bytes.some(isControl) ? bytes.filter((byte) => !isControl(byte)) : bytes;
};

const pushValue = (parts: (number | Uint8Array)[], value: MsdpValue): void => {
  if (typeof value === 'string') {
    parts.push(encodeText(value));
  } else if (Array.isArray(value)) {
    parts.push(MsdpByte.ARRAY_OPEN);
    for (const item of value as readonly MsdpValue[]) {
      parts.push(MsdpByte.VAL);
      pushValue(parts, item);
    }
    parts.push(MsdpByte.ARRAY_CLOSE);
  } else {
    parts.push(MsdpByte.TABLE_OPEN);
    for (const [key, item] of Object.entries(value)) {
      parts.push(MsdpByte.VAR, encodeText(key), MsdpByte.VAL);
      pushValue(parts, item);
    }
    parts.push(MsdpByte.TABLE_CLOSE);
  }
};

/**
 * Encodes MSDP variables; arrays use `ARRAY_OPEN ... ARRAY_CLOSE`. The bytes 1..6, which MSDP text cannot
 * carry, are dropped from names and strings.
 *
 * @example
 * ```ts
 * import { encodeMsdp } from 'rxtelnet/mud';
 * encodeMsdp([{ name: 'ROOM', value: { VNUM: '6008', EXITS: { n: '6011' } } }]);
 * ```
 */
export const encodeMsdp = (variables: readonly MsdpVariable[]): Uint8Array => {
  const parts: (number | Uint8Array)[] = [];
  for (const variable of variables) {
    parts.push(MsdpByte.VAR, encodeText(variable.name), MsdpByte.VAL);
    pushValue(parts, variable.value);
  }
  return concatBytes(parts);
};

// ---------------------------------------------------------------------------------------- commands

/**
 * The MSDP commands a client sends as variable names.
 *
 * @example
 * ```ts
 * import { MsdpCommand } from 'rxtelnet/mud';
 * MsdpCommand.REPORT; // 'REPORT'
 * ```
 */
export const MsdpCommand = {
  LIST: 'LIST',
  REPORT: 'REPORT',
  UNREPORT: 'UNREPORT',
  SEND: 'SEND',
  RESET: 'RESET',
} as const;

/**
 * The lists a client can ask for with `LIST` (and reset with `RESET`).
 *
 * @example
 * ```ts
 * import { MsdpList } from 'rxtelnet/mud';
 * MsdpList.REPORTABLE_VARIABLES; // 'REPORTABLE_VARIABLES'
 * ```
 */
export const MsdpList = {
  COMMANDS: 'COMMANDS',
  LISTS: 'LISTS',
  CONFIGURABLE_VARIABLES: 'CONFIGURABLE_VARIABLES',
  REPORTABLE_VARIABLES: 'REPORTABLE_VARIABLES',
  REPORTED_VARIABLES: 'REPORTED_VARIABLES',
  SENDABLE_VARIABLES: 'SENDABLE_VARIABLES',
} as const;

/** `VAR command VAL a VAL b ...`: the multi-VAL form every MSDP server reads. */
const command = (name: string, values: readonly [string, ...string[]]): Uint8Array =>
  concatBytes([MsdpByte.VAR, encodeText(name), ...values.flatMap((value) => [MsdpByte.VAL, encodeText(value)])]);

/**
 * The payload of `LIST <list>`.
 *
 * @example
 * ```ts
 * import { msdpListCommand, MsdpList } from 'rxtelnet/mud';
 * msdpListCommand(MsdpList.REPORTABLE_VARIABLES);
 * ```
 */
export const msdpListCommand = (list: string): Uint8Array => command(MsdpCommand.LIST, [list]);

/**
 * The payload of `REPORT <variables>`: the server sends them now and whenever they change.
 *
 * @example
 * ```ts
 * import { msdpReportCommand } from 'rxtelnet/mud';
 * msdpReportCommand('HEALTH', 'HEALTH_MAX'); // VAR "REPORT" VAL "HEALTH" VAL "HEALTH_MAX"
 * ```
 */
export const msdpReportCommand = (...variables: readonly [string, ...string[]]): Uint8Array =>
  command(MsdpCommand.REPORT, variables);

/**
 * The payload of `UNREPORT <variables>`.
 *
 * @example
 * ```ts
 * import { msdpUnreportCommand } from 'rxtelnet/mud';
 * msdpUnreportCommand('HEALTH');
 * ```
 */
export const msdpUnreportCommand = (...variables: readonly [string, ...string[]]): Uint8Array =>
  command(MsdpCommand.UNREPORT, variables);

/**
 * The payload of `SEND <variables>`: the server sends them once.
 *
 * @example
 * ```ts
 * import { msdpSendCommand } from 'rxtelnet/mud';
 * msdpSendCommand('ROOM');
 * ```
 */
export const msdpSendCommand = (...variables: readonly [string, ...string[]]): Uint8Array =>
  command(MsdpCommand.SEND, variables);

/**
 * The payload of `RESET <list>`, e.g. to stop every report.
 *
 * @example
 * ```ts
 * import { msdpResetCommand, MsdpList } from 'rxtelnet/mud';
 * msdpResetCommand(MsdpList.REPORTED_VARIABLES);
 * ```
 */
export const msdpResetCommand = (list: string): Uint8Array => command(MsdpCommand.RESET, [list]);
