/**
 * The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a load balancer sends before
 * the client's bytes: a pure parser over the bytes received so far (no I/O, no `node:`, no RxJS).
 *
 * @module
 */
import type { Address } from './types.js';

/**
 * Why a PROXY protocol header was refused: the parser's codes, plus `'ERR_PROXY_TIMEOUT'` (no complete header
 * within `proxyHeaderTimeout`) and `'ERR_PROXY_TRUNCATED'` (the peer closed or failed before the header ended).
 *
 * @example
 * ```ts
 * import type { ProxyHeaderErrorCode } from 'rxtelnet/node';
 * const slow: ProxyHeaderErrorCode = 'ERR_PROXY_TIMEOUT';
 * ```
 */
export type ProxyHeaderErrorCode =
  | 'ERR_PROXY_SIGNATURE'
  | 'ERR_PROXY_TOO_LONG'
  | 'ERR_PROXY_V1_SYNTAX'
  | 'ERR_PROXY_V1_ADDRESS'
  | 'ERR_PROXY_V1_PORT'
  | 'ERR_PROXY_V2_VERSION'
  | 'ERR_PROXY_V2_COMMAND'
  | 'ERR_PROXY_V2_FAMILY'
  | 'ERR_PROXY_V2_PROTOCOL'
  | 'ERR_PROXY_V2_ADDRESS_LENGTH'
  | 'ERR_PROXY_V2_TLV'
  | 'ERR_PROXY_TIMEOUT'
  | 'ERR_PROXY_TRUNCATED';

/** The client's connection as the balancer saw it: the client (`source`) and the address it reached. */
export interface ProxiedAddresses {
  readonly source: Address;
  readonly destination: Address;
}

/** What {@link parseProxyHeader} made of the bytes so far. */
export type ProxyHeaderResult =
  | { readonly _tag: 'Incomplete' }
  /**
   * A whole header of `consumed` bytes (what follows is the client's data). `addresses` is `undefined` for a
   * header that carries none (v1 `UNKNOWN`, v2 `LOCAL` or an unspecified family or protocol): the socket's own
   * addresses stand.
   */
  | {
      readonly _tag: 'Header';
      readonly version: 1 | 2;
      readonly consumed: number;
      readonly addresses: ProxiedAddresses | undefined;
    }
  | { readonly _tag: 'Invalid'; readonly code: ProxyHeaderErrorCode };

/** The longest v1 line, CR LF included (`PROXY UNKNOWN` with two full IPv6 addresses and ports). */
const maxV1HeaderBytes = 107;
/** The fixed part of a v2 header: signature, version and command, family and protocol, length. */
const v2FixedBytes = 16;
/** The shortest bound on a header that still admits every v2 address block without TLVs (two unix paths). */
export const minProxyHeaderBound = v2FixedBytes + 216;

const v2Signature = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
const v1Signature = [0x50, 0x52, 0x4f, 0x58, 0x59, 0x20]; // 'PROXY '
const CR = 0x0d;
const LF = 0x0a;

const invalid = (code: ProxyHeaderErrorCode): ProxyHeaderResult => ({ _tag: 'Invalid', code });
const incomplete: ProxyHeaderResult = { _tag: 'Incomplete' };

const matchesPrefix = (input: Uint8Array, signature: readonly number[]): boolean => {
  const length = Math.min(input.length, signature.length);
  for (let i = 0; i < length; i++) if (input[i] !== signature[i]) return false;
  return true;
};

// ---- IPv4 and IPv6 text, as inet_pton reads it and inet_ntop (libuv's, which Node uses) writes it ----

const decimalPattern = /^(0|[1-9]\d{0,4})$/;

/** A decimal number without heading zeroes (which the spec forbids), or undefined. */
const parseDecimal = (text: string, max: number): number | undefined => {
  if (!decimalPattern.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
};

const parseIPv4 = (text: string): number[] | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((part) => parseDecimal(part, 255));
  return bytes.every((byte) => byte !== undefined) ? bytes : undefined;
};

const hexGroupPattern = /^[0-9a-fA-F]{1,4}$/;

const parseGroups = (text: string): number[] | undefined => {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIPv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
    } else if (hexGroupPattern.test(part)) groups.push(parseInt(part, 16));
    else return undefined;
  }
  return groups;
};

/** The 8 groups of an IPv6 address written as inet_pton accepts it (one `::` at most, a dotted IPv4 tail). */
const parseIPv6 = (text: string): number[] | undefined => {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
};

/** IPv6 as Node reports it (libuv's inet_ntop): lower case, the longest run of 2+ zero groups as `::`. */
export const formatIPv6 = (groups: readonly number[]): string => {
  let best = { base: -1, length: 0 };
  let current = { base: -1, length: 0 };
  for (let i = 0; i < 8; i++) {
    if (groups[i] === 0) {
      current = current.base === -1 ? { base: i, length: 1 } : { base: current.base, length: current.length + 1 };
      if (current.length > best.length) best = current;
    } else current = { base: -1, length: 0 };
  }
  if (best.length < 2) best = { base: -1, length: 0 };
  const embedsIPv4 = best.base === 0 && (best.length === 6 || (best.length === 5 && groups[5] === 0xffff));
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === best.base) {
      text += i === 0 ? '::' : ':';
      i += best.length - 1;
      continue;
    }
    if (i === 6 && embedsIPv4) {
      const low = groups[6] ?? 0;
      const high = groups[7] ?? 0;
      return `${text}${low >> 8}.${low & 0xff}.${high >> 8}.${high & 0xff}`;
    }
    text += (groups[i] ?? 0).toString(16) + (i < 7 ? ':' : '');
  }
  return text;
};

// ---- version 1: one line of text ----

const asciiOf = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

const parseV1Line = (line: string, consumed: number): ProxyHeaderResult => {
  const fields = line.split(' ');
  if (fields[1] === 'UNKNOWN') return { _tag: 'Header', version: 1, consumed, addresses: undefined };
  if (fields.length !== 6 || (fields[1] !== 'TCP4' && fields[1] !== 'TCP6')) return invalid('ERR_PROXY_V1_SYNTAX');
  const [, protocol, sourceText = '', destinationText = '', sourcePortText = '', destinationPortText = ''] = fields;
  const family = protocol === 'TCP4' ? 'IPv4' : 'IPv6';
  const canonical = (text: string): string | undefined => {
    if (family === 'IPv4') return parseIPv4(text) === undefined ? undefined : text;
    const groups = parseIPv6(text);
    return groups === undefined ? undefined : formatIPv6(groups);
  };
  const source = canonical(sourceText);
  const destination = canonical(destinationText);
  if (source === undefined || destination === undefined) return invalid('ERR_PROXY_V1_ADDRESS');
  const sourcePort = parseDecimal(sourcePortText, 0xffff);
  const destinationPort = parseDecimal(destinationPortText, 0xffff);
  if (sourcePort === undefined || destinationPort === undefined) return invalid('ERR_PROXY_V1_PORT');
  return {
    _tag: 'Header',
    version: 1,
    consumed,
    addresses: {
      source: { family, address: source, port: sourcePort },
      destination: { family, address: destination, port: destinationPort },
    },
  };
};

const parseV1 = (input: Uint8Array): ProxyHeaderResult => {
  const searched = Math.min(input.length, maxV1HeaderBytes);
  for (let i = 0; i < searched; i++) {
    const byte = input[i];
    if (byte === LF) return invalid('ERR_PROXY_V1_SYNTAX'); // a bare LF: the line must end with CR LF
    if (byte !== CR) continue;
    if (i + 2 > maxV1HeaderBytes) return invalid('ERR_PROXY_TOO_LONG'); // its LF would be byte 108
    if (i + 1 === input.length) return incomplete;
    if (input[i + 1] !== LF) return invalid('ERR_PROXY_V1_SYNTAX');
    return parseV1Line(asciiOf(input.subarray(0, i)), i + 2);
  }
  return input.length >= maxV1HeaderBytes ? invalid('ERR_PROXY_TOO_LONG') : incomplete;
};

// ---- version 2: binary ----

const familyUnspecified = 0x0;
const familyInet = 0x1;
const familyInet6 = 0x2;
const familyUnix = 0x3;
const protocolUnspecified = 0x0;
const commandLocal = 0x0;
const commandProxy = 0x1;
const unixPathBytes = 108;

const addressBytes = (family: number): number =>
  family === familyInet ? 12 : family === familyInet6 ? 36 : family === familyUnix ? 2 * unixPathBytes : 0;

const readUint16 = (bytes: Uint8Array, at: number): number => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);

const unixPath = (bytes: Uint8Array): string => {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
};

const v2Addresses = (family: number, block: Uint8Array): ProxiedAddresses => {
  if (family === familyInet) {
    const ipv4 = (at: number): string => Array.from(block.subarray(at, at + 4)).join('.');
    return {
      source: { family: 'IPv4', address: ipv4(0), port: readUint16(block, 8) },
      destination: { family: 'IPv4', address: ipv4(4), port: readUint16(block, 10) },
    };
  }
  if (family === familyInet6) {
    const ipv6 = (at: number): string => formatIPv6(Array.from({ length: 8 }, (_, i) => readUint16(block, at + 2 * i)));
    return {
      source: { family: 'IPv6', address: ipv6(0), port: readUint16(block, 32) },
      destination: { family: 'IPv6', address: ipv6(16), port: readUint16(block, 34) },
    };
  }
  return {
    source: { family: 'unix', address: unixPath(block.subarray(0, unixPathBytes)), port: 0 },
    destination: { family: 'unix', address: unixPath(block.subarray(unixPathBytes, 2 * unixPathBytes)), port: 0 },
  };
};

/** Whether `tlvs` is a whole number of type-length-value vectors (their contents are skipped). */
const wellFormedTlvs = (tlvs: Uint8Array): boolean => {
  let at = 0;
  while (at < tlvs.length) {
    if (at + 3 > tlvs.length) return false;
    at += 3 + readUint16(tlvs, at + 1);
  }
  return at === tlvs.length;
};

const parseV2 = (input: Uint8Array, maxBytes: number): ProxyHeaderResult => {
  if (input.length < v2FixedBytes) return incomplete;
  const versionAndCommand = input[12] ?? 0;
  if (versionAndCommand >> 4 !== 2) return invalid('ERR_PROXY_V2_VERSION');
  const command = versionAndCommand & 0xf;
  if (command !== commandLocal && command !== commandProxy) return invalid('ERR_PROXY_V2_COMMAND');
  const familyAndProtocol = input[13] ?? 0;
  const family = familyAndProtocol >> 4;
  const protocol = familyAndProtocol & 0xf;
  if (family > familyUnix) return invalid('ERR_PROXY_V2_FAMILY');
  if (protocol > 0x2) return invalid('ERR_PROXY_V2_PROTOCOL');
  const consumed = v2FixedBytes + readUint16(input, 14);
  if (consumed > maxBytes) return invalid('ERR_PROXY_TOO_LONG');
  if (input.length < consumed) return incomplete;
  const header = (addresses: ProxiedAddresses | undefined): ProxyHeaderResult => ({
    _tag: 'Header',
    version: 2,
    consumed,
    addresses,
  });
  // LOCAL (a balancer's health check) and unspecified families carry no address: skip the block as it is.
  if (command === commandLocal || family === familyUnspecified || protocol === protocolUnspecified) {
    return header(undefined);
  }
  const blockEnd = v2FixedBytes + addressBytes(family);
  if (blockEnd > consumed) return invalid('ERR_PROXY_V2_ADDRESS_LENGTH');
  if (!wellFormedTlvs(input.subarray(blockEnd, consumed))) return invalid('ERR_PROXY_V2_TLV');
  return header(v2Addresses(family, input.subarray(v2FixedBytes, blockEnd)));
};

/**
 * Parses a PROXY protocol header (v1 or v2) at the start of `input`, the bytes received so far: `Incomplete`
 * until it is whole (call again with more), `Header` once it is, `Invalid` as soon as the bytes cannot begin
 * one. A header longer than `maxBytes` (v1 lines are at most 107 bytes whatever it is) is `ERR_PROXY_TOO_LONG`;
 * TLVs are checked for structure and skipped; the CRC32C TLV is not verified.
 */
export const parseProxyHeader = (input: Uint8Array, maxBytes: number): ProxyHeaderResult => {
  if (input.length === 0) return incomplete;
  if (input[0] === v1Signature[0]) {
    if (!matchesPrefix(input, v1Signature)) return invalid('ERR_PROXY_SIGNATURE');
    return input.length < v1Signature.length ? incomplete : parseV1(input);
  }
  if (!matchesPrefix(input, v2Signature)) return invalid('ERR_PROXY_SIGNATURE');
  return parseV2(input, maxBytes);
};
