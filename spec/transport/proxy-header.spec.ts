import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv6, parseProxyHeader } from '../../src/transport/proxy-header.js';
import type { ProxyHeaderResult } from '../../src/transport/proxy-header.js';
import { nodeIPv6, proxyV1, proxyV2, rawV2, v2Signature } from '../helpers/proxy-header.js';

const bound = 4096;
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const parse = (bytes: Uint8Array | string): ProxyHeaderResult =>
  parseProxyHeader(typeof bytes === 'string' ? ascii(bytes) : bytes, bound);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 }))).map((b) => b.join('.'));
const ipv6 = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }), fc.constant(0xffff)), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => groups.map((group) => group.toString(16)).join(':'));
const port = fc.integer({ min: 0, max: 0xffff });
const end = (address: fc.Arbitrary<string>): fc.Arbitrary<{ address: string; port: number }> =>
  fc.record({ address, port });
const telnet = fc.uint8Array({ maxLength: 64 });

/** Feeds `bytes` in two reads split at `at`, as a socket might deliver them. */
const parseSplit = (bytes: Uint8Array, at: number): ProxyHeaderResult[] => [parse(bytes.subarray(0, at)), parse(bytes)];

describe('parseProxyHeader round trips', () => {
  const roundTrip = (
    encode: typeof proxyV1,
    family: 'IPv4' | 'IPv6',
    address: fc.Arbitrary<string>,
    version: 1 | 2,
  ) => {
    fc.assert(
      fc.property(end(address), end(address), telnet, (source, destination, after) => {
        const header = encode(source, destination);
        const bytes = concat(header, after);
        const canonical = (text: string): string => (family === 'IPv4' ? text : nodeIPv6(text));
        const expected: ProxyHeaderResult = {
          _tag: 'Header',
          version,
          consumed: header.length,
          addresses: {
            source: { family, address: canonical(source.address), port: source.port },
            destination: { family, address: canonical(destination.address), port: destination.port },
          },
        };
        for (let at = 0; at < header.length; at++) {
          const [early, whole] = parseSplit(bytes, at);
          expect(early).toEqual({ _tag: 'Incomplete' });
          expect(whole).toEqual(expected);
        }
        expect(Array.from(bytes.subarray(header.length))).toEqual(Array.from(after));
      }),
      { numRuns: 300 },
    );
  };

  it('v1 TCP4, split at every position, leaves the Telnet bytes after it', () => {
    roundTrip(proxyV1, 'IPv4', ipv4, 1);
  });
  it('v1 TCP6 (IPv6 written as Node writes it)', () => {
    roundTrip(proxyV1, 'IPv6', ipv6, 1);
  });
  it('v1 TCP6 written compressed, with an embedded IPv4 tail', () => {
    roundTrip(proxyV1, 'IPv6', ipv6.map(nodeIPv6), 1);
  });
  it('v2 IPv4', () => {
    roundTrip(proxyV2, 'IPv4', ipv4, 2);
  });
  it('v2 IPv6', () => {
    roundTrip(proxyV2, 'IPv6', ipv6, 2);
  });

  it('formats IPv6 exactly as Node does', () => {
    fc.assert(
      fc.property(ipv6, (text) => {
        expect(formatIPv6(text.split(':').map((group) => parseInt(group, 16)))).toBe(nodeIPv6(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('v2 skips well-formed TLVs, and the header counts them', () => {
    const tlvs = [0x04, 0x00, 0x02, 0xaa, 0xbb, 0x05, 0x00, 0x00];
    const header = proxyV2({ address: '10.0.0.1', port: 1 }, { address: '10.0.0.2', port: 2 }, tlvs);
    expect(parse(concat(header, ascii('x')))).toMatchObject({ _tag: 'Header', consumed: header.length });
  });
});

describe('parseProxyHeader headers without addresses', () => {
  it('v1 UNKNOWN, short or with ignored fields', () => {
    expect(parse('PROXY UNKNOWN\r\nhi')).toEqual({ _tag: 'Header', version: 1, consumed: 15, addresses: undefined });
    expect(parse('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n')).toMatchObject({ _tag: 'Header', addresses: undefined });
  });
  it('v2 LOCAL (a health check), whatever its block holds', () => {
    expect(parse(rawV2(0x20, 0x00, []))).toEqual({ _tag: 'Header', version: 2, consumed: 16, addresses: undefined });
    expect(parse(rawV2(0x20, 0x11, [1, 2, 3]))).toEqual({
      _tag: 'Header',
      version: 2,
      consumed: 19,
      addresses: undefined,
    });
  });
  it('v2 PROXY with the unspecified family or protocol', () => {
    expect(parse(rawV2(0x21, 0x00, []))).toMatchObject({ _tag: 'Header', addresses: undefined });
    expect(parse(rawV2(0x21, 0x10, Array<number>(12).fill(1)))).toMatchObject({ _tag: 'Header', addresses: undefined });
  });
  it('v2 AF_UNIX reports the two paths', () => {
    const path = (text: string): number[] => [...ascii(text), ...Array<number>(108 - text.length).fill(0)];
    expect(parse(rawV2(0x21, 0x31, [...path('/run/a.sock'), ...path('/run/b.sock')]))).toMatchObject({
      _tag: 'Header',
      addresses: {
        source: { family: 'unix', address: '/run/a.sock', port: 0 },
        destination: { family: 'unix', address: '/run/b.sock', port: 0 },
      },
    });
  });
});

describe('parseProxyHeader refusals', () => {
  const refused = (input: Uint8Array | string) => expect(parse(input));
  const v4Block = [127, 0, 0, 7, 127, 0, 0, 1, 0x30, 0x39, 0x00, 0x17];

  it('a wrong signature is refused at the first byte that differs, Telnet included', () => {
    refused(Uint8Array.of(0xff, 0xfd, 0x18)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_SIGNATURE' });
    refused('PROX\r').toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_SIGNATURE' });
    refused('proxy TCP4').toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_SIGNATURE' });
    refused(Uint8Array.from([...v2Signature.slice(0, 7), 0x52])).toEqual({
      _tag: 'Invalid',
      code: 'ERR_PROXY_SIGNATURE',
    });
    refused('GET / HTTP/1.1\r\n').toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_SIGNATURE' });
  });
  it('a v1 line without CR LF in 107 bytes is too long', () => {
    refused(`PROXY TCP4 ${'1'.repeat(120)}`).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_TOO_LONG' });
    refused(`PROXY UNKNOWN ${'x'.repeat(92)}`).toEqual({ _tag: 'Incomplete' }); // 106 bytes: may still end
    refused(`PROXY UNKNOWN ${'x'.repeat(91)}\r\n`).toMatchObject({ _tag: 'Header', consumed: 107 });
    refused(`PROXY UNKNOWN ${'x'.repeat(92)}\r`).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_TOO_LONG' });
    refused(`PROXY UNKNOWN ${'x'.repeat(92)}\r\n`).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_TOO_LONG' });
  });
  it('a v2 length past the bound is too long before its bytes arrive', () => {
    const header = rawV2(0x21, 0x11, Array<number>(bound).fill(0)).subarray(0, 16);
    refused(header).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_TOO_LONG' });
  });
  it('v1 lines that do not match the format', () => {
    for (const line of [
      'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n',
      'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX',
      'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n',
      'PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n',
      'PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n',
      'PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n',
      'PROXY UNKNOWNX\r\n',
      'PROXY \r\n',
    ]) {
      refused(line).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V1_SYNTAX' });
    }
  });
  it('v1 bad addresses', () => {
    for (const [family, address] of [
      ['TCP4', '256.0.0.1'],
      ['TCP4', '01.2.3.4'],
      ['TCP4', '1.2.3'],
      ['TCP4', '::1'],
      ['TCP6', '1.2.3.4'],
      ['TCP6', '1::2::3'],
      ['TCP6', '1:2:3:4:5:6:7:8:9'],
      ['TCP6', '12345::1'],
      ['TCP6', 'g::1'],
    ]) {
      refused(`PROXY ${family} ${address} ${family === 'TCP4' ? '1.1.1.1' : '::1'} 1 2\r\n`).toEqual({
        _tag: 'Invalid',
        code: 'ERR_PROXY_V1_ADDRESS',
      });
    }
  });
  it('v1 bad ports', () => {
    for (const ports of ['65536 1', '1 99999', '01 2', '-1 2', '1 0x10', '1 ']) {
      refused(`PROXY TCP4 1.2.3.4 5.6.7.8 ${ports}\r\n`).toMatchObject({ _tag: 'Invalid' });
    }
    refused('PROXY TCP4 1.2.3.4 5.6.7.8 65536 1\r\n').toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V1_PORT' });
    refused('PROXY TCP4 1.2.3.4 5.6.7.8 0 65535\r\n').toMatchObject({ _tag: 'Header' });
  });
  it('v2 with an unknown version, command, family or protocol', () => {
    refused(rawV2(0x11, 0x11, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_VERSION' });
    refused(rawV2(0x22, 0x11, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_COMMAND' });
    refused(rawV2(0x21, 0x41, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_FAMILY' });
    refused(rawV2(0x21, 0xf1, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_FAMILY' });
    refused(rawV2(0x21, 0x13, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_PROTOCOL' });
  });
  it('v2 with an address block shorter than its family needs', () => {
    refused(rawV2(0x21, 0x11, v4Block.slice(0, 11))).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_ADDRESS_LENGTH' });
    refused(rawV2(0x21, 0x21, v4Block)).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_ADDRESS_LENGTH' });
  });
  it('v2 with a TLV that overruns the header', () => {
    refused(rawV2(0x21, 0x11, [...v4Block, 0x04, 0x00, 0x05, 0x00])).toEqual({
      _tag: 'Invalid',
      code: 'ERR_PROXY_V2_TLV',
    });
    refused(rawV2(0x21, 0x11, [...v4Block, 0x04, 0x00])).toEqual({ _tag: 'Invalid', code: 'ERR_PROXY_V2_TLV' });
  });
  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, signed) => {
        const input = signed ? concat(Uint8Array.from(v2Signature), bytes) : concat(ascii('PROXY '), bytes);
        const result = parseProxyHeader(input, 256);
        expect(['Incomplete', 'Header', 'Invalid']).toContain(result._tag);
        if (result._tag === 'Header') expect(result.consumed).toBeLessThanOrEqual(input.length);
      }),
      { numRuns: 3_000 },
    );
  });
});
