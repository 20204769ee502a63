import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { createDecoder, decodeAll, decodeChunk, flushDecoder } from '../../src/codec/parser.js';
import type { DecoderOptions } from '../../src/codec/parser.js';
import type { DecoderState } from '../../src/codec/decoder-state.js';
import { DEFAULT_MAX_SUBNEGOTIATION } from '../../src/codec/limits.js';
import { normalize } from './normalize.js';
import type { PlainEvent } from './normalize.js';

const { IAC, SB, SE, WILL, WONT, DO, DONT, GA, NOP } = Command;
const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const D = (...values: number[]): PlainEvent => ({ _tag: 'Data', bytes: values });
const C = (command: number): PlainEvent => ({ _tag: 'Command', command });
const N = (verb: 'WILL' | 'WONT' | 'DO' | 'DONT', option: number): PlainEvent => ({
  _tag: 'Negotiation',
  verb,
  option,
});
const S = (option: number, ...payload: number[]): PlainEvent => ({ _tag: 'Subnegotiation', option, payload });
const warningCode = (event: PlainEvent) => (event._tag === 'Warning' ? event.code : undefined);

const decode = (chunks: Uint8Array[], options?: DecoderOptions) => normalize(decodeAll(chunks, options));
const decodeOne = (values: number[], options?: DecoderOptions) => decode([Uint8Array.from(values)], options);
/** Events with warnings reduced to their code. */
const codes = (events: PlainEvent[]) => events.map((event) => warningCode(event) ?? event);

/** Every way of cutting `message` into 2 and 3 chunks. */
const splits = (message: Uint8Array): Uint8Array[][] => {
  const out: Uint8Array[][] = [];
  for (let a = 0; a <= message.length; a++) {
    out.push([message.subarray(0, a), message.subarray(a)]);
    for (let b = a; b <= message.length; b++) {
      out.push([message.subarray(0, a), message.subarray(a, b), message.subarray(b)]);
    }
  }
  return out;
};

describe('createDecoder', () => {
  it('hands out an opaque decoder: newline to change, the limit to read, no bookkeeping', () => {
    const decoder = createDecoder({ newline: 'nvt', maxSubnegotiation: 7.9 });
    decoder.newline = 'raw';
    expect(decoder.maxSubnegotiation).toBe(7);
    // @ts-expect-error the parser's bookkeeping is not part of the type
    expect(typeof decoder.state).toBe('number');
    // @ts-expect-error the limit is read-only
    decoder.maxSubnegotiation = 8;
    // @ts-expect-error only createDecoder makes a TelnetDecoder
    decodeChunk({ newline: 'raw', maxSubnegotiation: 8 }, bytes(), () => undefined);
  });
});

describe('decodeChunk: data', () => {
  it('emits a run of plain data as one view of the chunk (no copy)', () => {
    const chunk = bytes(...ascii('hello'));
    const events: TelnetEvent[] = [];
    decodeChunk(createDecoder(), chunk, (event) => events.push(event));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?._tag).toBe('Data');
    if (event?._tag !== 'Data') return;
    expect([...event.bytes]).toEqual(ascii('hello'));
    expect(event.bytes.buffer).toBe(chunk.buffer);
  });

  it('emits plain Uint8Array views also for a Node Buffer chunk', () => {
    const chunk = Buffer.from([1, 2, 3]);
    const [event] = decodeAll([chunk]);
    expect(event?._tag === 'Data' && event.bytes.constructor).toBe(Uint8Array);
    expect(event?._tag === 'Data' && event.bytes.buffer).toBe(chunk.buffer);
  });

  it('unescapes IAC IAC: the run up to and including the first 0xFF, then the rest', () => {
    const events = decodeAll([bytes(97, IAC, IAC, 98)]);
    expect(events.map((event) => (event._tag === 'Data' ? [...event.bytes] : event))).toEqual([[97, 255], [98]]);
  });

  it('unescapes IAC IAC split over two chunks', () => {
    expect(decode([bytes(97, IAC), bytes(IAC, 98)])).toEqual([D(97, 255, 98)]);
  });

  it('returns the chunk length and emits nothing for an empty chunk', () => {
    const events: TelnetEvent[] = [];
    expect(decodeChunk(createDecoder(), bytes(), (event) => events.push(event))).toBe(0);
    expect(decodeChunk(createDecoder(), bytes(1, 2, 3), (event) => events.push(event))).toBe(3);
    expect(normalize(events)).toEqual([D(1, 2, 3)]);
  });

  it('starts at the given offset', () => {
    const events: TelnetEvent[] = [];
    decodeChunk(createDecoder(), bytes(1, 2, IAC, GA, 3), (event) => events.push(event), undefined, 2);
    expect(normalize(events)).toEqual([C(GA), D(3)]);
  });
});

describe('decodeChunk: commands', () => {
  const commandBytes = Array.from({ length: 256 }, (_, byte) => byte).filter(
    (byte) => byte < SE || (byte > SE && byte < SB),
  );

  it.each(commandBytes)('reports IAC %i as a command, between data', (byte) => {
    expect(decodeOne([65, IAC, byte, 66])).toEqual([D(65), C(byte), D(66)]);
  });

  it('reports the named commands NOP, DM, BRK, IP, AO, AYT, EC, EL, GA, EOR, EOF, SUSP, ABORT', () => {
    const named = [
      Command.NOP,
      Command.DM,
      Command.BRK,
      Command.IP,
      Command.AO,
      Command.AYT,
      Command.EC,
      Command.EL,
      Command.GA,
      Command.EOR,
      Command.EOF,
      Command.SUSP,
      Command.ABORT,
    ];
    expect(decodeOne(named.flatMap((byte) => [IAC, byte]))).toEqual(named.map(C));
  });

  it('interns command and negotiation events: the same frozen object every time', () => {
    const first = decodeAll([bytes(IAC, GA, IAC, DO, TelnetOption.NAWS)]);
    const second = decodeAll([bytes(IAC, GA, IAC, DO, TelnetOption.NAWS)]);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(Object.isFrozen(first[1])).toBe(true);
  });
});

describe('decodeChunk: negotiations', () => {
  it.each([
    [WILL, 'WILL'],
    [WONT, 'WONT'],
    [DO, 'DO'],
    [DONT, 'DONT'],
  ] as const)('decodes IAC %i as %s for options 0, 31, 201, 254', (verb, name) => {
    expect(decodeOne([IAC, verb, 0, IAC, verb, 31, IAC, verb, 201, IAC, verb, 254])).toEqual([
      N(name, 0),
      N(name, 31),
      N(name, 201),
      N(name, 254),
    ]);
  });

  it('reads option 255 (EXOPL) as it is: IAC WILL 255', () => {
    expect(decodeOne([IAC, WILL, 255, 65])).toEqual([N('WILL', 255), D(65)]);
    expect(decode([bytes(IAC, DO), bytes(255)])).toEqual([N('DO', 255)]);
  });
});

describe('decodeChunk: subnegotiations', () => {
  it('unescapes the payload: NAWS 255x24', () => {
    expect(decodeOne([IAC, SB, TelnetOption.NAWS, 0, IAC, IAC, 0, 24, IAC, SE])).toEqual([
      S(TelnetOption.NAWS, 0, 255, 0, 24),
    ]);
  });

  it('delivers a payload copy that does not change with the chunk', () => {
    const chunk = bytes(IAC, SB, TelnetOption.TTYPE, 0, 120, IAC, SE);
    const [event] = decodeAll([chunk]);
    chunk[4] = 0;
    expect(event).toEqual({ _tag: 'Subnegotiation', option: TelnetOption.TTYPE, payload: bytes(0, 120) });
  });

  it('cuts payload copies of up to 1 KiB from one shared 16 KiB buffer, each intact after the next is cut', () => {
    const sizes = [1, 6, 64, 65, 1024, 1000, 3];
    const chunks = sizes.map((size, k) => bytes(IAC, SB, 201, ...new Array<number>(size).fill(k), IAC, SE));
    const payloads = decodeAll(chunks).map((event) => (event._tag === 'Subnegotiation' ? event.payload : undefined));
    payloads.forEach((payload, k) => {
      expect(payload).toEqual(new Uint8Array(sizes[k] ?? 0).fill(k));
    });
    // 2,163 bytes in all: one slab holds them
    expect(new Set(payloads.map((payload) => payload?.buffer)).size).toBe(1);
    expect(payloads[0]?.buffer.byteLength).toBe(16 * 1024);
    const [large] = decodeAll([bytes(IAC, SB, 201, ...new Array<number>(1025).fill(9), IAC, SE)]);
    expect(large?._tag === 'Subnegotiation' && large.payload.buffer.byteLength).toBe(1025);
  });

  it('keeps a long payload (more than the initial buffer) and the wire order around it', () => {
    const payload = Array.from({ length: 1000 }, (_, k) => k % 255);
    expect(decodeOne([65, IAC, SB, 201, ...payload, IAC, SE, 66])).toEqual([D(65), S(201, ...payload), D(66)]);
  });

  it('accepts an empty payload', () => {
    expect(decodeOne([IAC, SB, TelnetOption.TTYPE, IAC, SE])).toEqual([S(TelnetOption.TTYPE)]);
  });

  it('reads option 255 doubled: IAC SB IAC IAC payload IAC SE', () => {
    expect(decodeOne([IAC, SB, IAC, IAC, 1, 2, IAC, SE])).toEqual([S(255, 1, 2)]);
  });

  it('leaves CR and LF alone in payloads, even in nvt mode', () => {
    expect(decodeOne([IAC, SB, 201, 13, 10, 13, 0, IAC, SE], { newline: 'nvt' })).toEqual([S(201, 13, 10, 13, 0)]);
  });

  it('defaults the limit to DEFAULT_MAX_SUBNEGOTIATION (64 KiB)', () => {
    expect(DEFAULT_MAX_SUBNEGOTIATION).toBe(65_536);
    expect(createDecoder().maxSubnegotiation).toBe(65_536);
    const full = new Uint8Array(65_536).fill(7);
    const [event] = decodeAll([bytes(IAC, SB, 201), full, bytes(IAC, SE)]);
    expect(event?._tag === 'Subnegotiation' && event.payload.length).toBe(65_536);
    const over = decodeAll([bytes(IAC, SB, 201), full, bytes(8, IAC, SE)]);
    expect(over.map((e) => (e._tag === 'Warning' ? e.code : e._tag))).toEqual(['SubnegotiationTooLong']);
  });
});

describe('decodeChunk: bad input', () => {
  it('warns on a stray IAC SE and keeps the data around it', () => {
    expect(codes(decodeOne([65, IAC, SE, 66]))).toEqual([D(65), 'StraySE', D(66)]);
  });

  it('warns on IAC SB IAC SE (no option byte)', () => {
    expect(codes(decodeOne([65, IAC, SB, IAC, SE, 66]))).toEqual([D(65), 'EmptySubnegotiation', D(66)]);
  });

  it('drops a subnegotiation interrupted by IAC x and decodes IAC x as outside', () => {
    expect(codes(decodeOne([IAC, SB, 24, 1, 2, IAC, WILL, 1, 66]))).toEqual([
      'UnterminatedSubnegotiation',
      N('WILL', 1),
      D(66),
    ]);
    expect(codes(decodeOne([IAC, SB, 24, 1, IAC, GA]))).toEqual(['UnterminatedSubnegotiation', C(GA)]);
    expect(codes(decodeOne([IAC, SB, 24, 1, IAC, SB, 31, 0, 80, 0, 24, IAC, SE]))).toEqual([
      'UnterminatedSubnegotiation',
      S(31, 0, 80, 0, 24),
    ]);
  });

  it('treats IAC SB IAC x (x not IAC, SE) as an interrupted subnegotiation', () => {
    expect(codes(decodeOne([IAC, SB, IAC, DO, 3]))).toEqual(['UnterminatedSubnegotiation', N('DO', 3)]);
  });

  it('drops a payload over the limit up to IAC SE, warns once, leaks nothing into data', () => {
    const message = [65, IAC, SB, 201, 1, 2, 3, 4, 5, IAC, IAC, 6, 7, IAC, SE, 66];
    const expected = [D(65), 'SubnegotiationTooLong', D(66)];
    expect(codes(decodeOne(message, { maxSubnegotiation: 4 }))).toEqual(expected);
    expect(
      codes(
        decode(
          message.map((b) => bytes(b)),
          { maxSubnegotiation: 4 },
        ),
      ),
    ).toEqual(expected);
  });

  it('accepts a payload of exactly the limit, also when it ends with a doubled IAC', () => {
    expect(decodeOne([IAC, SB, 201, 1, 2, 3, IAC, IAC, IAC, SE], { maxSubnegotiation: 4 })).toEqual([
      S(201, 1, 2, 3, 255),
    ]);
    expect(codes(decodeOne([IAC, SB, 201, 1, 2, 3, 4, IAC, IAC, IAC, SE], { maxSubnegotiation: 4 }))).toEqual([
      'SubnegotiationTooLong',
    ]);
  });

  it('ends the dropping of an oversized payload at IAC x, decoded as outside', () => {
    expect(codes(decodeOne([IAC, SB, 201, 1, 2, 3, IAC, GA, 66], { maxSubnegotiation: 2 }))).toEqual([
      'SubnegotiationTooLong',
      'UnterminatedSubnegotiation',
      C(GA),
      D(66),
    ]);
  });

  it('keeps its payload buffer within the limit', () => {
    // The buffer is internal, not observable through the public API: this white-box check reads it.
    const decoder = createDecoder({ maxSubnegotiation: 100 });
    decodeChunk(decoder, new Uint8Array([IAC, SB, 201, ...new Array<number>(99).fill(1), IAC, SE]), () => undefined);
    expect((decoder as DecoderState).payload.length).toBeLessThanOrEqual(100);
  });

  it('reports unknown and odd bytes after IAC without throwing', () => {
    expect(decodeOne([IAC, 0, IAC, 100, IAC, 239])).toEqual([C(0), C(100), C(239)]);
  });
});

describe('flushDecoder', () => {
  it.each([
    ['IAC', [IAC]],
    ['IAC WILL', [IAC, WILL]],
  ])('warns Truncated when input ends after %s', (_, message) => {
    expect(codes(decodeOne([65, ...message]))).toEqual([D(65), 'Truncated']);
  });

  it.each([
    ['IAC SB', [IAC, SB]],
    ['IAC SB IAC', [IAC, SB, IAC]],
    ['IAC SB opt payload', [IAC, SB, 24, 0, 120]],
    ['IAC SB opt payload IAC', [IAC, SB, 24, 0, IAC]],
  ])('warns Truncated when input ends inside a subnegotiation: %s', (_, message) => {
    expect(codes(decodeOne(message))).toEqual(['Truncated']);
    expect(codes(decodeOne(message, { maxSubnegotiation: 0 }))).toEqual(
      message.length > 4 ? ['SubnegotiationTooLong', 'Truncated'] : ['Truncated'],
    );
  });

  it('emits nothing after complete input, and resets the decoder', () => {
    const decoder = createDecoder();
    const events: TelnetEvent[] = [];
    const push = (event: TelnetEvent) => {
      events.push(event);
    };
    decodeChunk(decoder, bytes(IAC, SB, 24), push);
    flushDecoder(decoder, push);
    decodeChunk(decoder, bytes(65, 66), push);
    flushDecoder(decoder, push);
    expect(codes(normalize(events))).toEqual(['Truncated', D(65, 66)]);
  });
});

describe('decodeChunk: chunk edges', () => {
  const tricky = bytes(
    65,
    IAC,
    IAC,
    66,
    IAC,
    GA,
    IAC,
    WILL,
    TelnetOption.NAWS,
    IAC,
    SB,
    TelnetOption.NAWS,
    0,
    IAC,
    IAC,
    0,
    24,
    IAC,
    SE,
    IAC,
    DO,
    255,
    IAC,
    SE,
    IAC,
    SB,
    IAC,
    SE,
    IAC,
    NOP,
    IAC,
    SB,
    24,
    1,
    IAC,
    DONT,
    1,
    67,
  );
  const whole = decode([tricky]);

  it('decodes the tricky message as expected', () => {
    expect(codes(whole)).toEqual([
      D(65, 255, 66),
      C(GA),
      N('WILL', TelnetOption.NAWS),
      S(TelnetOption.NAWS, 0, 255, 0, 24),
      N('DO', 255),
      'StraySE',
      'EmptySubnegotiation',
      C(NOP),
      'UnterminatedSubnegotiation',
      N('DONT', 1),
      D(67),
    ]);
  });

  it('gives the same events for every 2-way and 3-way split', () => {
    for (const chunks of splits(tricky)) expect(decode(chunks)).toEqual(whole);
  });

  it('gives the same events byte by byte, also with an oversized payload', () => {
    const options = { maxSubnegotiation: 2 };
    expect(
      decode(
        [...tricky].map((b) => bytes(b)),
        options,
      ),
    ).toEqual(decode([tricky], options));
  });
});

describe('decodeChunk: nvt newlines', () => {
  const nvt = { newline: 'nvt' } as const;

  it('turns CR LF into LF, CR NUL into CR and keeps CR x', () => {
    expect(decodeOne(ascii('a\r\nb\r\0c\rd'), nvt)).toEqual([D(...ascii('a\nb\rc\rd'))]);
  });

  it('keeps CR before IAC, and handles CR LF around commands', () => {
    expect(decodeOne([13, IAC, GA, 13, 10, IAC, IAC, 13, 0], nvt)).toEqual([D(13), C(GA), D(10, 255, 13)]);
  });

  it('holds a CR at the end of a chunk until the next byte', () => {
    expect(decode([bytes(97, 13), bytes(10, 98)], nvt)).toEqual([D(97, 10, 98)]);
    expect(decode([bytes(97, 13), bytes(0, 98)], nvt)).toEqual([D(97, 13, 98)]);
    expect(decode([bytes(97, 13), bytes(98)], nvt)).toEqual([D(97, 13, 98)]);
    expect(decode([bytes(13), bytes(IAC, GA)], nvt)).toEqual([D(13), C(GA)]);
    expect(decode([bytes(13), bytes(13), bytes(10)], nvt)).toEqual([D(13, 10)]);
  });

  it('emits a CR held at the end of the input', () => {
    expect(decode([bytes(97, 13)], nvt)).toEqual([D(97, 13)]);
  });

  it('gives the same events for every split of a message with newlines', () => {
    const message = bytes(...ascii('a\r\nb\r'), 0, ...ascii('\r\r\n'), IAC, GA, 13, IAC, IAC, 13);
    const whole = decode([message], nvt);
    expect(whole).toEqual([D(...ascii('a\nb\r\r\n')), C(GA), D(13, 255, 13)]);
    for (const chunks of splits(message)) expect(decode(chunks, nvt)).toEqual(whole);
  });

  it('leaves newlines alone in raw mode, and follows a change of mode', () => {
    expect(decodeOne(ascii('a\r\nb\r\0'))).toEqual([D(...ascii('a\r\nb\r\0'))]);
    const decoder = createDecoder({ newline: 'nvt' });
    const events: TelnetEvent[] = [];
    const push = (event: TelnetEvent) => {
      events.push(event);
    };
    decodeChunk(decoder, bytes(...ascii('a\r\n')), push);
    decoder.newline = 'raw';
    decodeChunk(decoder, bytes(...ascii('b\r\n')), push);
    expect(normalize(events)).toEqual([D(...ascii('a\nb\r\n'))]);
  });
});

describe('decodeChunk: pauseAfter', () => {
  it('stops after the IAC SE of a subnegotiation it is asked to, leaving the rest unparsed', () => {
    const MCCP2 = 86;
    const chunk = bytes(65, IAC, SB, MCCP2, IAC, SE, 0x78, 0x9c, IAC, GA);
    const decoder = createDecoder();
    const events: TelnetEvent[] = [];
    const push = (event: TelnetEvent) => {
      events.push(event);
    };
    const consumed = decodeChunk(decoder, chunk, push, (option) => option === MCCP2);
    expect(consumed).toBe(6);
    expect(normalize(events)).toEqual([D(65), S(MCCP2)]);
    expect(decodeChunk(decoder, chunk, push, undefined, 8)).toBe(chunk.length);
    expect(normalize(events)).toEqual([D(65), S(MCCP2), C(GA)]);
  });

  it('pauses also when the subnegotiation was assembled across chunks', () => {
    const decoder = createDecoder();
    const seen: number[] = [];
    decodeChunk(
      decoder,
      bytes(IAC, SB, 86, IAC),
      () => undefined,
      () => true,
    );
    expect(
      decodeChunk(
        decoder,
        bytes(SE, 1, 2),
        () => undefined,
        (option) => seen.push(option) > 0,
      ),
    ).toBe(1);
    expect(seen).toEqual([86]);
  });

  it('pauses also when the IAC SE of an assembled subnegotiation comes with the end of its payload', () => {
    const decoder = createDecoder();
    const events: TelnetEvent[] = [];
    const push = (event: TelnetEvent) => {
      events.push(event);
    };
    decodeChunk(decoder, bytes(IAC, SB, 86, 1), push, () => true);
    expect(decodeChunk(decoder, bytes(2, IAC, SE, 0x78), push, (option) => option === 86)).toBe(3);
    expect(normalize(events)).toEqual([S(86, 1, 2)]);
  });

  it('is not asked about a subnegotiation dropped over the limit, on any path', () => {
    const message = bytes(IAC, SB, 86, 1, 2, 3, IAC, SE, 65);
    for (const chunks of splits(message)) {
      const decoder = createDecoder({ maxSubnegotiation: 2 });
      const events: TelnetEvent[] = [];
      const asked: number[] = [];
      for (const chunk of chunks) {
        const consumed = decodeChunk(
          decoder,
          chunk,
          (event) => events.push(event),
          (option) => asked.push(option) > 0,
        );
        expect(consumed).toBe(chunk.length);
      }
      expect(codes(normalize(events))).toEqual(['SubnegotiationTooLong', D(65)]);
      expect(asked).toEqual([]);
    }
  });

  it('goes on when pauseAfter returns false', () => {
    const chunk = bytes(IAC, SB, 24, 0, IAC, SE, 65);
    expect(
      decodeChunk(
        createDecoder(),
        chunk,
        () => undefined,
        () => false,
      ),
    ).toBe(chunk.length);
  });
});
