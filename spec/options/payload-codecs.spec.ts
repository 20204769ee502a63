import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { describe, expect, it } from 'vitest';
import type { CharsetMessage } from '../../src/options/charset.js';
import type { MsdpValue, MsdpVariable } from '../../src/options/msdp.js';
import type { MsspTable } from '../../src/options/mssp.js';
import type { EnvironMessage } from '../../src/options/new-environ.js';
import {
  CharsetPayload,
  EnvironPayload,
  GmcpPayload,
  MsdpPayload,
  MsspPayload,
  NawsPayload,
  TspeedPayload,
  TtypePayload,
  XdisplocPayload,
} from '../../src/options/payload-codecs.js';
import type { UntrustedString } from '../../src/options/untrusted-string.js';

const runs = { numRuns: 10_000 };
const utf8Length = (text: string): number => new TextEncoder().encode(text).length;
const text = (maxLength: number, minLength = 0): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength, maxLength });
const textWithout = (excluded: readonly number[], maxLength: number, minLength = 0): fc.Arbitrary<string> =>
  text(maxLength)
    .map((s) =>
      Array.from(s)
        .filter((c) => !excluded.includes(c.codePointAt(0) ?? 0))
        .join(''),
    )
    .filter((s) => s.length >= minLength);
const anyBytes = fc.uint8Array({ maxLength: 48 });

const roundTrips = <A>(codec: t.Type<A, Uint8Array>, values: fc.Arbitrary<A>): void => {
  test.prop([values], runs)(`${codec.name}: decode(encode(v)) = v, and is(v)`, (value) => {
    expect(codec.is(value)).toBe(true);
    expect(codec.decode(codec.encode(value))).toEqual(E.right(value));
  });
  test.prop([fc.oneof(anyBytes, fc.anything())], runs)(`${codec.name}: decode never throws`, (input) => {
    const result = codec.decode(input);
    if (E.isRight(result)) expect(codec.is(result.right)).toBe(true);
  });
};

describe('payload codecs', () => {
  roundTrips(
    NawsPayload,
    fc.record({ width: fc.integer({ min: 0, max: 0xffff }), height: fc.integer({ min: 0, max: 0xffff }) }),
  );

  const ttypeName = text(16, 1).filter((s) => utf8Length(s) <= 64) as fc.Arbitrary<UntrustedString>;
  roundTrips(
    TtypePayload,
    fc.oneof(
      ttypeName.map((name) => ({ _tag: 'Is' as const, name })),
      fc.constant({ _tag: 'Send' as const }),
    ),
  );

  const kind = fc.constantFrom('VAR' as const, 'USERVAR' as const);
  const untrustedText = (max: number, min = 0): fc.Arbitrary<UntrustedString> =>
    text(max, min) as fc.Arbitrary<UntrustedString>;
  const variable = fc
    .record({ kind, name: untrustedText(8, 1), value: fc.option(untrustedText(8), { nil: undefined }) })
    .map(({ kind: k, name, value }) => (value === undefined ? { kind: k, name } : { kind: k, name, value }));
  const environ: fc.Arbitrary<EnvironMessage<UntrustedString>> = fc.oneof(
    fc.array(variable, { maxLength: 4 }).map((variables) => ({ _tag: 'Is' as const, variables })),
    fc.array(variable, { maxLength: 4 }).map((variables) => ({ _tag: 'Info' as const, variables })),
    fc
      .array(fc.record({ kind, name: fc.option(untrustedText(8, 1), { nil: undefined }) }), { maxLength: 4 })
      .map((requests) => ({
        _tag: 'Send' as const,
        requests: requests.map(({ kind: k, name }) => (name === undefined ? { kind: k } : { kind: k, name })),
      })),
  );
  roundTrips(EnvironPayload, environ);

  const charsetName = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 });
  const charset: fc.Arbitrary<CharsetMessage> = fc.oneof(
    fc
      .array(charsetName, { minLength: 1, maxLength: 8 })
      .map((charsets) => ({ _tag: 'Request' as const, charsets: charsets as [string, ...string[]] })),
    text(16, 1)
      .filter((s) => utf8Length(s) <= 64)
      .map((name) => ({ _tag: 'Accepted' as const, charset: name })),
    fc.constantFrom(
      { _tag: 'Rejected' as const },
      { _tag: 'TtableIs' as const },
      { _tag: 'TtableRejected' as const },
      { _tag: 'TtableAck' as const },
      { _tag: 'TtableNak' as const },
    ),
  );
  roundTrips(CharsetPayload, charset);

  const segment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/);
  const gmcpName = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.'));
  const json = fc
    .option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })
    .map((v) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown)));
  roundTrips(GmcpPayload, fc.record({ name: gmcpName, json }));

  const msdpText = (max: number): fc.Arbitrary<string> => textWithout([1, 2, 3, 4, 5, 6], max);
  const { value } = fc.letrec<{ value: MsdpValue }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'msdp' },
      msdpText(6),
      fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'msdp' }),
      fc.dictionary(msdpText(4), tie('value'), { maxKeys: 3, depthIdentifier: 'msdp' }),
    ),
  }));
  roundTrips<readonly MsdpVariable[]>(MsdpPayload, fc.array(fc.record({ name: msdpText(6), value }), { maxLength: 3 }));

  const msspText = (max: number, min = 0): fc.Arbitrary<string> => textWithout([1, 2], max, min);
  const mssp: fc.Arbitrary<MsspTable> = fc.dictionary(
    msspText(8, 1),
    fc.oneof(msspText(8), fc.array(msspText(8), { minLength: 2, maxLength: 3 })),
    { maxKeys: 6 },
  );
  roundTrips(MsspPayload, mssp);

  const speed = fc.integer({ min: 0, max: 0xffffffff });
  roundTrips(
    TspeedPayload,
    fc.oneof(
      fc.record({ _tag: fc.constant('Is' as const), transmit: speed, receive: speed }),
      fc.constant({ _tag: 'Send' as const }),
    ),
  );

  const location = fc.stringMatching(/^[!-~]{0,20}:[0-9]{1,5}(\.[0-9]{1,5})?$/) as fc.Arbitrary<UntrustedString>;
  roundTrips(
    XdisplocPayload,
    fc.oneof(
      location.map((l) => ({ _tag: 'Is' as const, location: l })),
      fc.constant({ _tag: 'Send' as const }),
    ),
  );
});

describe('payload codec failures', () => {
  it('carry the PayloadError path in the context, and compose with other io-ts codecs', () => {
    const result = t.array(NawsPayload).decode([Uint8Array.of(0, 80, 0, 24), Uint8Array.of(0, 80, 0)]);
    if (E.isRight(result)) expect.fail('decoded a 3-byte NAWS payload');
    const error = result.left[0];
    expect(error?.context.map((entry) => entry.key)).toEqual(['', '1', 'length']);
    expect(error?.message).toBe('expected 4 bytes, got 3');
    expect(PathReporter.report(result)).toEqual(['expected 4 bytes, got 3']);
  });

  it('refuse what is not a Uint8Array', () => {
    const result = GmcpPayload.decode('Core.Ping');
    expect(E.isLeft(result) && result.left[0]?.message).toBe('expected a Uint8Array payload');
  });
});
