/**
 * GMCP, the Generic MUD Communication Protocol (option 201): `Package.Sub.Message [JSON]` in UTF-8.
 *
 * The name runs up to the first space; the rest, if any, is one JSON value. Package names are
 * case-insensitive. Typed bodies are io-ts codecs gathered in a registry ({@link GmcpCodecs}).
 */
import * as E from '#fp-ts/Either';
import * as t from 'io-ts';
import { TelnetOption } from '../protocol/options.js';
import { byteText, concatBytes, decodeUtf8, encodeUtf8 } from './payload-bytes.js';
import { payloadError, payloadErrorFromValidation, type PayloadError } from './payload-error.js';

/**
 * Bounds on a decoded GMCP payload.
 *
 * @example
 * ```ts
 * import { DEFAULT_GMCP_LIMITS, type GmcpLimits } from 'rxtelnet/mud';
 * const limits: GmcpLimits = { ...DEFAULT_GMCP_LIMITS, maxJsonBytes: 1024 };
 * ```
 */
export interface GmcpLimits {
  readonly maxNameBytes: number;
  readonly maxJsonBytes: number;
  /** How deep arrays and objects may nest in the body; deeper bodies are a `Left` before anything is parsed. */
  readonly maxJsonDepth: number;
}

/**
 * The default bounds: names of 128 bytes, JSON bodies of 256 KiB (room lists and maps can be large) nested at
 * most 32 deep (the deepest standard package, a room map, nests about 5).
 *
 * @example
 * ```ts
 * import { DEFAULT_GMCP_LIMITS } from 'rxtelnet/mud';
 * DEFAULT_GMCP_LIMITS.maxJsonBytes; // 262144
 * DEFAULT_GMCP_LIMITS.maxJsonDepth; // 32
 * ```
 */
export const DEFAULT_GMCP_LIMITS: GmcpLimits = { maxNameBytes: 128, maxJsonBytes: 256 * 1024, maxJsonDepth: 32 };

/**
 * A GMCP message with its JSON body parsed but not checked; `json` is `undefined` when there is no body.
 *
 * @example
 * ```ts
 * import type { GmcpMessage } from 'rxtelnet/mud';
 * const ping: GmcpMessage = { name: 'Core.Ping', json: undefined };
 * ```
 */
export interface GmcpMessage {
  readonly name: string;
  readonly json: unknown;
}

const SPACE = 0x20;

const isNameByte = (byte: number): boolean => byte > SPACE && byte < 0x7f;

const isBlank = (bytes: Uint8Array): boolean =>
  bytes.every((byte) => byte === SPACE || byte === 0x09 || byte === 0x0a || byte === 0x0d);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether arrays and objects in the JSON `text` nest deeper than `maxDepth`: one pass over the characters,
 * skipping strings, so a hostile body is refused before `JSON.parse` builds it (and before anything that walks
 * the value recursively, such as `JSON.stringify`, can overflow the stack on it).
 */
const nestsDeeperThan = (text: string, maxDepth: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
};

const parseJson = (text: string): E.Either<string, unknown> => {
  try {
    return E.right(JSON.parse(text));
  } catch (error) {
    return E.left(error instanceof Error ? error.message : 'invalid JSON');
  }
};

/**
 * Decodes a GMCP payload: the name must be printable ASCII without spaces, the body valid JSON in UTF-8 within
 * the {@link GmcpLimits} (size and nesting depth).
 *
 * @example
 * ```ts
 * import { decodeGmcp } from 'rxtelnet/mud';
 * decodeGmcp(new TextEncoder().encode('Char.Vitals {"hp":10}')); // right({ name: 'Char.Vitals', json: { hp: 10 } })
 * ```
 */
export const decodeGmcp = (
  payload: Uint8Array,
  limits: GmcpLimits = DEFAULT_GMCP_LIMITS,
): E.Either<PayloadError, GmcpMessage> => {
  const space = payload.indexOf(SPACE);
  const nameEnd = space === -1 ? payload.length : space;
  if (nameEnd === 0) return E.left(payloadError(TelnetOption.GMCP, 'name', 'empty package name'));
  if (nameEnd > limits.maxNameBytes) {
    return E.left(payloadError(TelnetOption.GMCP, 'name', `package name longer than ${limits.maxNameBytes} bytes`));
  }
  const nameBytes = payload.subarray(0, nameEnd);
  const bad = nameBytes.findIndex((byte) => !isNameByte(byte));
  if (bad !== -1)
    return E.left(
      payloadError(TelnetOption.GMCP, 'name', `byte ${nameBytes[bad] ?? 0} at offset ${bad} in package name`),
    );
  const name = byteText(nameBytes);
  const body = space === -1 ? new Uint8Array(0) : payload.subarray(space + 1);
  if (isBlank(body)) return E.right({ name, json: undefined });
  if (body.length > limits.maxJsonBytes) {
    return E.left(payloadError(TelnetOption.GMCP, 'body', `JSON body longer than ${limits.maxJsonBytes} bytes`));
  }
  const text = decodeUtf8(TelnetOption.GMCP, 'body', body);
  if (E.isLeft(text)) return text;
  if (nestsDeeperThan(text.right, limits.maxJsonDepth)) {
    return E.left(payloadError(TelnetOption.GMCP, 'body', `JSON nested deeper than ${limits.maxJsonDepth}`));
  }
  const json = parseJson(text.right);
  return E.isLeft(json)
    ? E.left(payloadError(TelnetOption.GMCP, 'body', `bad JSON: ${json.left}`))
    : E.right({ name, json: json.right });
};

/**
 * Encodes a GMCP message; with `json` left out (or `undefined`) the payload is the name alone.
 *
 * @example
 * ```ts
 * import { encodeGmcp } from 'rxtelnet/mud';
 * encodeGmcp('Core.Hello', { client: 'rxtelnet', version: '0.1.0' });
 * encodeGmcp('Core.Ping');
 * ```
 */
export const encodeGmcp = (name: string, json?: unknown): Uint8Array => {
  const body = json === undefined ? undefined : JSON.stringify(json);
  return body === undefined ? encodeUtf8(name) : concatBytes([encodeUtf8(name), SPACE, encodeUtf8(body)]);
};

// ------------------------------------------------------------------------------------------ codecs

/**
 * The body of `Core.Hello`, the client's first message.
 *
 * @example
 * ```ts
 * import { CoreHello } from 'rxtelnet/mud';
 * CoreHello.is({ client: 'Mudlet', version: '4.17.2' }); // true
 * ```
 */
export const CoreHello = t.type({ client: t.string, version: t.string }, 'Core.Hello');

/**
 * A package and version as named in `Core.Supports.*`.
 *
 * @example
 * ```ts
 * import type { GmcpPackage } from 'rxtelnet/mud';
 * const room: GmcpPackage = { name: 'Room', version: 1 };
 * ```
 */
export interface GmcpPackage {
  readonly name: string;
  readonly version: number;
}

const packagePattern = /^([^\s]+) ([0-9]{1,9})$/;

/**
 * A `"Package.Name N"` string as a {@link GmcpPackage} (the version is a decimal integer).
 *
 * @example
 * ```ts
 * import { GmcpPackageString } from 'rxtelnet/mud';
 * GmcpPackageString.decode('Char.Skills 1'); // right({ name: 'Char.Skills', version: 1 })
 * GmcpPackageString.encode({ name: 'Char', version: 1 }); // 'Char 1'
 * ```
 */
export const GmcpPackageString = new t.Type<GmcpPackage, string, unknown>(
  'GmcpPackageString',
  (u): u is GmcpPackage =>
    typeof u === 'object' &&
    u !== null &&
    typeof (u as GmcpPackage).name === 'string' &&
    typeof (u as GmcpPackage).version === 'number',
  (u, context) => {
    const match = typeof u === 'string' ? packagePattern.exec(u) : null;
    const [, name, version] = match ?? [];
    return name === undefined || version === undefined
      ? t.failure(u, context, 'expected "Package.Name <version>"')
      : t.success({ name, version: Number(version) });
  },
  (value) => `${value.name} ${value.version}`,
);

/**
 * The body of `Core.Supports.Set` and `Core.Supports.Add`: a list of `"Package.Name N"` strings.
 *
 * @example
 * ```ts
 * import { CoreSupportsList } from 'rxtelnet/mud';
 * CoreSupportsList.decode(['Char 1', 'Room 1']); // right([{ name: 'Char', version: 1 }, { name: 'Room', version: 1 }])
 * ```
 */
export const CoreSupportsList = t.readonlyArray(GmcpPackageString, 'Core.Supports');

/**
 * A number, or a string holding a decimal number (IRE games send vitals as strings), decoded to a number.
 *
 * @example
 * ```ts
 * import { NumberOrNumericString } from 'rxtelnet/mud';
 * NumberOrNumericString.decode('4500'); // right(4500)
 * ```
 */
export const NumberOrNumericString = new t.Type<number, number, unknown>(
  'NumberOrNumericString',
  (u): u is number => typeof u === 'number',
  (u, context) => {
    if (typeof u === 'number') return t.success(u);
    return typeof u === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(u) ? t.success(Number(u)) : t.failure(u, context);
  },
  t.identity,
);

/**
 * The body of `Char.Vitals`: `hp`, `maxhp`, `mp`, `maxmp` as numbers, other keys kept as they are.
 *
 * @example
 * ```ts
 * import { CharVitals } from 'rxtelnet/mud';
 * CharVitals.decode({ hp: '90', maxhp: 100, mp: 5, maxmp: 10, ep: 3 }); // right({ hp: 90, maxhp: 100, mp: 5, maxmp: 10, ep: 3 })
 * ```
 */
export const CharVitals = t.intersection(
  [
    t.type({
      hp: NumberOrNumericString,
      maxhp: NumberOrNumericString,
      mp: NumberOrNumericString,
      maxmp: NumberOrNumericString,
    }),
    t.UnknownRecord,
  ],
  'Char.Vitals',
);

/**
 * A registry of GMCP body codecs by message name.
 *
 * @example
 * ```ts
 * import type { GmcpCodecs } from 'rxtelnet/mud';
 * import * as t from 'io-ts';
 * const codecs = { 'Room.Info': t.type({ num: t.number, name: t.string }) } satisfies GmcpCodecs;
 * ```
 */
export type GmcpCodecs = Readonly<Record<string, t.Mixed>>;

/**
 * The codecs of the messages this module knows: `Core.Hello`, `Core.Supports.Set|Add|Remove`, `Char.Vitals`.
 * Spread it into your own registry to extend it.
 *
 * @example
 * ```ts
 * import { standardGmcpCodecs } from 'rxtelnet/mud';
 * import * as t from 'io-ts';
 * const codecs = { ...standardGmcpCodecs, 'Room.Info': t.type({ num: t.number }) };
 * ```
 */
export const standardGmcpCodecs = {
  'Core.Hello': CoreHello,
  'Core.Supports.Set': CoreSupportsList,
  'Core.Supports.Add': CoreSupportsList,
  'Core.Supports.Remove': CoreSupportsList,
  'Char.Vitals': CharVitals,
} as const satisfies GmcpCodecs;

/**
 * The typed messages of a registry: `name` is a registry key, `body` the decoded type of its codec.
 *
 * @example
 * ```ts
 * import type { TypedGmcpMessage, standardGmcpCodecs } from 'rxtelnet/mud';
 * const hp = (message: TypedGmcpMessage<typeof standardGmcpCodecs>): number | undefined =>
 *   message.name === 'Char.Vitals' ? message.body.hp : undefined;
 * ```
 */
export type TypedGmcpMessage<C extends GmcpCodecs> = {
  readonly [K in keyof C & string]: { readonly _tag: 'Typed'; readonly name: K; readonly body: t.TypeOf<C[K]> };
}[keyof C & string];

/**
 * A message of a package the registry has no codec for, passed through with its JSON parsed but unchecked.
 *
 * @example
 * ```ts
 * import type { UntypedGmcpMessage } from 'rxtelnet/mud';
 * const room: UntypedGmcpMessage = { _tag: 'Untyped', name: 'Room.Info', json: { num: 1 } };
 * ```
 */
export interface UntypedGmcpMessage {
  readonly _tag: 'Untyped';
  readonly name: string;
  readonly json: unknown;
}

/**
 * What to do with a message whose package has no codec in the registry: pass it through as an
 * {@link UntypedGmcpMessage} (`'pass'`, the default: servers send many packages), or make it a `Left` (`'reject'`).
 *
 * @example
 * ```ts
 * import type { UnknownGmcpPackages } from 'rxtelnet/mud';
 * const strict: UnknownGmcpPackages = 'reject';
 * ```
 */
export type UnknownGmcpPackages = 'pass' | 'reject';

const findCodecName = <C extends GmcpCodecs>(codecs: C, name: string): (keyof C & string) | undefined => {
  if (Object.hasOwn(codecs, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(codecs).find((key) => key.toLowerCase() === lower);
};

/**
 * How {@link decodeGmcpMessage} and `gmcpMessages` decode: the {@link GmcpLimits}, and what becomes of a package the
 * registry has no codec for.
 *
 * @example
 * ```ts
 * import { DEFAULT_GMCP_LIMITS, type GmcpDecodeOptions } from 'rxtelnet/mud';
 * const options: GmcpDecodeOptions = { limits: { ...DEFAULT_GMCP_LIMITS, maxJsonDepth: 8 }, unknownPackages: 'reject' };
 * ```
 */
export interface GmcpDecodeOptions {
  /** Default {@link DEFAULT_GMCP_LIMITS}. */
  readonly limits?: GmcpLimits;
  /** Default `'pass'`. */
  readonly unknownPackages?: UnknownGmcpPackages;
}

/**
 * Decodes a GMCP payload and checks its body with the registry's codec, found by name case-insensitively
 * (the result carries the registry's spelling, `_tag: 'Typed'`). A missing body is checked as `undefined`. A
 * package with no codec is passed through as an {@link UntypedGmcpMessage} (or, with `unknownPackages: 'reject'`,
 * is a `PayloadError` at path `name`). Bad JSON and a body that fails its codec (path `body.<key>...`) are
 * `PayloadError`s.
 *
 * @example
 * ```ts
 * import { decodeGmcpMessage, standardGmcpCodecs } from 'rxtelnet/mud';
 * import * as E from 'fp-ts/lib/Either.js';
 * const payload = new TextEncoder().encode('Char.Vitals {"hp":"90","maxhp":100,"mp":5,"maxmp":10}');
 * const result = decodeGmcpMessage(standardGmcpCodecs, payload);
 * if (E.isRight(result) && result.right._tag === 'Typed' && result.right.name === 'Char.Vitals') {
 *   console.log(result.right.body.hp); // 90
 * }
 * ```
 */
export function decodeGmcpMessage<C extends GmcpCodecs>(
  codecs: C,
  payload: Uint8Array,
  options: GmcpDecodeOptions & { readonly unknownPackages: 'reject' },
): E.Either<PayloadError, TypedGmcpMessage<C>>;
export function decodeGmcpMessage<C extends GmcpCodecs>(
  codecs: C,
  payload: Uint8Array,
  options?: GmcpDecodeOptions,
): E.Either<PayloadError, TypedGmcpMessage<C> | UntypedGmcpMessage>;
export function decodeGmcpMessage<C extends GmcpCodecs>(
  codecs: C,
  payload: Uint8Array,
  options: GmcpDecodeOptions = {},
): E.Either<PayloadError, TypedGmcpMessage<C> | UntypedGmcpMessage> {
  const message = decodeGmcp(payload, options.limits);
  if (E.isLeft(message)) return message;
  const name = findCodecName(codecs, message.right.name);
  const codec = name === undefined ? undefined : codecs[name];
  if (name === undefined || codec === undefined) {
    return options.unknownPackages === 'reject'
      ? E.left(payloadError(TelnetOption.GMCP, 'name', `no codec for ${message.right.name}`))
      : E.right({ _tag: 'Untyped', name: message.right.name, json: message.right.json });
  }
  const body = codec.decode(message.right.json);
  if (E.isLeft(body)) return E.left(payloadErrorFromValidation(TelnetOption.GMCP, 'body', body.left));
  const typed: TypedGmcpMessage<C> = { _tag: 'Typed', name, body: body.right as unknown };
  return E.right(typed);
}

/**
 * Encodes a typed GMCP message with its registry codec's `encode`.
 *
 * @example
 * ```ts
 * import { encodeGmcpMessage, standardGmcpCodecs } from 'rxtelnet/mud';
 * encodeGmcpMessage(standardGmcpCodecs, 'Core.Supports.Set', [{ name: 'Char', version: 1 }]);
 * // bytes of 'Core.Supports.Set ["Char 1"]'
 * ```
 */
export const encodeGmcpMessage = <C extends GmcpCodecs, K extends keyof C & string>(
  codecs: C,
  name: K,
  body: t.TypeOf<C[K]>,
): Uint8Array => {
  const codec = codecs[name];
  return encodeGmcp(name, codec === undefined ? body : codec.encode(body));
};
