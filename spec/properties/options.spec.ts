/** Properties of the option payload codecs: decode(encode(v)) = v, and no decoder throws on any bytes. */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { decodeCharset, encodeCharset, type CharsetMessage } from '../../src/options/charset.js';
import {
  decodeGmcp,
  decodeGmcpMessage,
  encodeGmcp,
  encodeGmcpMessage,
  standardGmcpCodecs,
} from '../../src/options/gmcp.js';
import { decodeLinemode } from '../../src/options/linemode.js';
import { decodeMsdp, encodeMsdp, type MsdpValue, type MsdpVariable } from '../../src/options/msdp.js';
import { decodeMssp, encodeMssp, type MsspTable } from '../../src/options/mssp.js';
import { decodeNaws, encodeNaws } from '../../src/options/naws.js';
import {
  decodeEnviron,
  encodeEnviron,
  type EnvironMessage,
  type EnvironVariable,
} from '../../src/options/new-environ.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { decodeStatus, encodeStatusIs } from '../../src/options/status.js';
import { decodeTspeed, encodeTspeed } from '../../src/options/tspeed.js';
import {
  collectTtype,
  decodeTtype,
  encodeTtypeIs,
  formatMtts,
  initialTtypeCollection,
  mttsFromBits,
  mttsToBits,
  nextTtypeAnswer,
  parseMtts,
  ttypeAnswers,
  type TtypeCollection,
} from '../../src/options/ttype.js';
import { untrusted } from '../../src/options/untrusted-string.js';
import { decodeXdisploc, encodeXdisploc } from '../../src/options/xdisploc.js';
import { TelnetOption } from '../../src/protocol/options.js';

const runs = { numRuns: 10_000 };
const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** Any text, control characters included, no lone surrogates (UTF-8 cannot carry them). */
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });
const nonEmptyText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength: 1, maxLength });
/** Text without the given code points. */
const textWithout = (excluded: readonly number[], maxLength: number, minLength = 0): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength, maxLength }).map((s) =>
    Array.from(s)
      .filter((c) => !excluded.includes(c.codePointAt(0) ?? 0))
      .join(''),
  );

/** Bytes biased towards the small control values and the Telnet command bytes the payloads use. */
const payloadBytes = fc
  .array(
    fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 240, max: 255 }), fc.integer({ min: 0, max: 255 })),
    { maxLength: 48 },
  )
  .map((bytes) => Uint8Array.from(bytes));

const neverThrows = (option: number, decode: (payload: Uint8Array) => E.Either<PayloadError, unknown>): void => {
  test.prop([payloadBytes], runs)(
    `decoder of option ${option} never throws and fails with its own PayloadError`,
    (payload) => {
      const decoded = decode(payload);
      if (E.isLeft(decoded)) expect(decoded.left).toMatchObject({ _tag: 'PayloadError', option });
    },
  );
};

const roundTrip =
  <A>(decode: (payload: Uint8Array) => E.Either<PayloadError, unknown>, encode: (value: A) => Uint8Array) =>
  (value: A) => {
    expect(decode(encode(value))).toEqual(E.right(value));
  };

describe('NAWS', () => {
  const size = fc.record({ width: fc.integer({ min: 0, max: 0xffff }), height: fc.integer({ min: 0, max: 0xffff }) });
  test.prop([size], runs)('decode(encode(size)) = size', roundTrip(decodeNaws, encodeNaws));
  neverThrows(TelnetOption.NAWS, decodeNaws);
});

describe('TTYPE and MTTS', () => {
  const name = nonEmptyText(16).filter((s) => utf8Length(s) <= 64);
  test.prop([name], runs)('decode(encodeTtypeIs(name)) = IS name', (n) => {
    expect(decodeTtype(encodeTtypeIs(n))).toEqual(E.right({ _tag: 'Is', name: n }));
  });
  test.prop([fc.integer({ min: 0, max: 4095 })], runs)('MTTS bits survive flags and text', (bits) => {
    expect(mttsToBits(mttsFromBits(bits))).toBe(bits);
    expect(parseMtts(formatMtts(mttsFromBits(bits)))).toEqual(mttsFromBits(bits));
  });
  const names = fc.array(nonEmptyText(8), { minLength: 1, maxLength: 6 }) as fc.Arbitrary<[string, ...string[]]>;
  test.prop([names, fc.integer({ min: 1, max: 12 })], runs)(
    'the n-th answer is names[min(n, length - 1)]',
    (list, count) => {
      let state = ttypeAnswers(list);
      for (let n = 0; n < count; n += 1) {
        const [answer, next] = nextTtypeAnswer(state);
        expect(answer).toBe(list[Math.min(n, list.length - 1)]);
        state = next;
      }
    },
  );
  const distinctNames = fc.uniqueArray(nonEmptyText(8), { minLength: 1, maxLength: 7 }) as fc.Arbitrary<
    [string, ...string[]]
  >;
  test.prop([distinctNames], runs)('a server collects exactly the answers of a client', (list) => {
    let answers = ttypeAnswers(list);
    let state: TtypeCollection = initialTtypeCollection;
    for (let asked = 0; asked <= list.length; asked += 1) {
      const [answer, next] = nextTtypeAnswer(answers);
      answers = next;
      const step = collectTtype(state, untrusted(answer));
      if (step._tag === 'Complete') {
        expect(step.report.names).toEqual(list);
        return;
      }
      state = step.state;
    }
    expect.fail('the collection did not complete');
  });
  neverThrows(TelnetOption.TTYPE, decodeTtype);
});

describe('NEW-ENVIRON', () => {
  const kind = fc.constantFrom('VAR' as const, 'USERVAR' as const);
  const variable: fc.Arbitrary<EnvironVariable> = fc
    .record({ kind, name: nonEmptyText(8), value: fc.option(text(8), { nil: undefined }) })
    .map(({ kind: k, name, value }) => (value === undefined ? { kind: k, name } : { kind: k, name, value }));
  const message: fc.Arbitrary<EnvironMessage> = fc.oneof(
    fc.array(variable, { maxLength: 8 }).map((variables) => ({ _tag: 'Is' as const, variables })),
    fc.array(variable, { maxLength: 8 }).map((variables) => ({ _tag: 'Info' as const, variables })),
    fc
      .array(fc.record({ kind, name: fc.option(nonEmptyText(8), { nil: undefined }) }), { maxLength: 8 })
      .map((requests) => ({
        _tag: 'Send' as const,
        requests: requests.map(({ kind: k, name }) => (name === undefined ? { kind: k } : { kind: k, name })),
      })),
  );
  test.prop([message], runs)(
    'decode(encode(message)) = message, ESC escaping included',
    roundTrip(decodeEnviron, encodeEnviron),
  );
  neverThrows(TelnetOption.NEW_ENVIRON, decodeEnviron);
});

describe('CHARSET', () => {
  const name = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 });
  const names = fc.array(name, { minLength: 1, maxLength: 32 }) as fc.Arbitrary<[string, ...string[]]>;
  const message: fc.Arbitrary<Exclude<CharsetMessage, { _tag: 'TtableIs' }>> = fc.oneof(
    fc
      .record({ charsets: names, ttableVersion: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }) })
      .map(({ charsets, ttableVersion }) =>
        ttableVersion === undefined
          ? { _tag: 'Request' as const, charsets }
          : { _tag: 'Request' as const, charsets, ttableVersion },
      ),
    nonEmptyText(16)
      .filter((s) => utf8Length(s) <= 64)
      .map((charset) => ({ _tag: 'Accepted' as const, charset })),
    fc.constantFrom(
      { _tag: 'Rejected' as const },
      { _tag: 'TtableRejected' as const },
      { _tag: 'TtableAck' as const },
      { _tag: 'TtableNak' as const },
    ),
  );
  test.prop([message], runs)('decode(encode(message)) = message', roundTrip(decodeCharset, encodeCharset));
  neverThrows(TelnetOption.CHARSET, decodeCharset);
});

describe('GMCP', () => {
  const segment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/);
  const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('.'));
  const json = fc
    .option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })
    .map((value) => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown)));
  test.prop([name, json], runs)('decode(encode(name, json)) = { name, json }', (n, j) => {
    expect(decodeGmcp(encodeGmcp(n, j))).toEqual(E.right({ name: n, json: j }));
  });
  const packages = fc.array(fc.record({ name, version: fc.integer({ min: 0, max: 999_999_999 }) }), { maxLength: 8 });
  test.prop([packages], runs)('Core.Supports.Set survives its codec', (body) => {
    expect(
      decodeGmcpMessage(standardGmcpCodecs, encodeGmcpMessage(standardGmcpCodecs, 'Core.Supports.Set', body)),
    ).toEqual(E.right({ _tag: 'Typed', name: 'Core.Supports.Set', body }));
  });
  const vital = fc.integer({ min: -1e9, max: 1e9 });
  const vitals = fc
    .record({ hp: vital, maxhp: vital, mp: vital, maxmp: vital, extra: fc.option(fc.string(), { nil: undefined }) })
    .map(({ extra, ...rest }) => (extra === undefined ? rest : { ...rest, extra }));
  test.prop([vitals], runs)('Char.Vitals survives its codec, extra keys included', (body) => {
    expect(decodeGmcpMessage(standardGmcpCodecs, encodeGmcpMessage(standardGmcpCodecs, 'Char.Vitals', body))).toEqual(
      E.right({ _tag: 'Typed', name: 'Char.Vitals', body }),
    );
  });
  neverThrows(TelnetOption.GMCP, decodeGmcp);
  neverThrows(TelnetOption.GMCP, (payload) => decodeGmcpMessage(standardGmcpCodecs, payload));
});

describe('MSDP', () => {
  const msdpText = (maxLength: number): fc.Arbitrary<string> => textWithout([1, 2, 3, 4, 5, 6], maxLength);
  const { value } = fc.letrec<{ value: MsdpValue }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'msdp' },
      msdpText(6),
      fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'msdp' }),
      fc.dictionary(msdpText(4), tie('value'), { maxKeys: 4, depthIdentifier: 'msdp' }),
    ),
  }));
  const variables: fc.Arbitrary<MsdpVariable[]> = fc.array(fc.record({ name: msdpText(6), value }), { maxLength: 4 });
  test.prop([variables], runs)('decode(encode(variables)) = variables', roundTrip(decodeMsdp, encodeMsdp));
  neverThrows(TelnetOption.MSDP, decodeMsdp);
});

describe('MSSP', () => {
  const msspText = (maxLength: number, minLength = 0): fc.Arbitrary<string> =>
    textWithout([1, 2], maxLength, minLength);
  const value = fc.oneof(msspText(8), fc.array(msspText(8), { minLength: 2, maxLength: 4 }));
  const table: fc.Arbitrary<MsspTable> = fc.dictionary(
    msspText(8, 1).filter((k) => k.length > 0),
    value,
    { maxKeys: 8 },
  );
  test.prop([table], runs)('decode(encode(table)) = table', roundTrip(decodeMssp, encodeMssp));
  neverThrows(TelnetOption.MSSP, decodeMssp);
});

describe('TSPEED', () => {
  const speed = fc.integer({ min: 0, max: 0xffffffff });
  test.prop([speed, speed], runs)('decode(encode(IS speeds)) = IS speeds', (transmit, receive) => {
    roundTrip(decodeTspeed, encodeTspeed)({ _tag: 'Is', transmit, receive });
  });
  neverThrows(TelnetOption.TSPEED, decodeTspeed);
});

describe('XDISPLOC', () => {
  const location = fc.stringMatching(/^[!-~]{0,20}:[0-9]{1,5}(\.[0-9]{1,5})?$/);
  test.prop([location], runs)('decode(encode(IS location)) = IS location', (l) => {
    roundTrip(decodeXdisploc, encodeXdisploc)({ _tag: 'Is', location: l });
  });
  neverThrows(TelnetOption.XDISPLOC, decodeXdisploc);
});

describe('LINEMODE', () => {
  const triplet = fc.record({
    function: fc.integer({ min: 0, max: 255 }),
    modifiers: fc.integer({ min: 0, max: 255 }),
    value: fc.integer({ min: 0, max: 255 }),
  });
  test.prop([fc.array(triplet, { maxLength: 32 })], runs)('SLC triplets decode as sent', (triplets) => {
    const payload = Uint8Array.from([3, ...triplets.flatMap((t) => [t.function, t.modifiers, t.value])]);
    expect(decodeLinemode(payload)).toEqual(E.right({ _tag: 'Slc', triplets }));
  });
  neverThrows(TelnetOption.LINEMODE, decodeLinemode);
});

describe('STATUS', () => {
  const code = fc.integer({ min: 0, max: 255 });
  const report = fc.record({
    local: fc.array(code, { maxLength: 8 }),
    remote: fc.array(code, { maxLength: 8 }),
    subnegotiations: fc.array(fc.record({ option: code, parameters: fc.uint8Array({ maxLength: 8 }) }), {
      maxLength: 3,
    }),
  });
  test.prop([report], runs)('decode(encodeStatusIs(report)) = IS report', (r) => {
    expect(decodeStatus(encodeStatusIs(r))).toEqual(E.right({ _tag: 'Is', ...r }));
  });
  neverThrows(TelnetOption.STATUS, decodeStatus);
});
