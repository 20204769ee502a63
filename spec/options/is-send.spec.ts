import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeIsSend } from '../../src/options/is-send.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { decodeStatus } from '../../src/options/status.js';
import { decodeTspeed } from '../../src/options/tspeed.js';
import { decodeTtype } from '../../src/options/ttype.js';
import { decodeXdisploc } from '../../src/options/xdisploc.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { left, right } from './wire.js';

const bodyLength = (body: Uint8Array): E.Either<PayloadError, number> => E.right(body.length);

describe('decodeIsSend', () => {
  it('reads SEND alone, and hands the bytes after IS to the IS decoder', () => {
    expect(right(decodeIsSend(TelnetOption.TTYPE, Uint8Array.of(1), bodyLength))).toEqual({ _tag: 'Send' });
    expect(right(decodeIsSend(TelnetOption.TTYPE, Uint8Array.of(0, 7, 8, 9), bodyLength))).toBe(3);
    expect(right(decodeIsSend(TelnetOption.TTYPE, Uint8Array.of(0), bodyLength))).toBe(0);
  });

  it('rejects bytes after SEND, another command and an empty payload', () => {
    expect(left(decodeIsSend(TelnetOption.TSPEED, Uint8Array.of(1, 0), bodyLength), TelnetOption.TSPEED)).toEqual({
      _tag: 'PayloadError',
      option: TelnetOption.TSPEED,
      path: 'offset 1',
      detail: 'unexpected bytes after SEND',
    });
    expect(left(decodeIsSend(TelnetOption.TSPEED, Uint8Array.of(2), bodyLength), TelnetOption.TSPEED).detail).toBe(
      'expected IS (0) or SEND (1), got 2',
    );
    expect(left(decodeIsSend(TelnetOption.TSPEED, new Uint8Array(0), bodyLength), TelnetOption.TSPEED).detail).toBe(
      'expected IS (0) or SEND (1), got nothing',
    );
  });

  it('is the header of TTYPE, TSPEED, XDISPLOC and STATUS, with the same errors', () => {
    const decoders = [
      [TelnetOption.TTYPE, decodeTtype],
      [TelnetOption.TSPEED, decodeTspeed],
      [TelnetOption.XDISPLOC, decodeXdisploc],
      [TelnetOption.STATUS, decodeStatus],
    ] as const;
    for (const [option, decode] of decoders) {
      expect(right<unknown>(decode(Uint8Array.of(1)))).toEqual({ _tag: 'Send' });
      expect(left<unknown>(decode(Uint8Array.of(1, 1)), option, 'offset 1').detail).toBe('unexpected bytes after SEND');
      expect(left<unknown>(decode(Uint8Array.of(9)), option, 'offset 0').detail).toBe(
        'expected IS (0) or SEND (1), got 9',
      );
      expect(left<unknown>(decode(new Uint8Array(0)), option, 'offset 0').detail).toBe(
        'expected IS (0) or SEND (1), got nothing',
      );
    }
  });
});
