import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { data, subnegotiation } from '../../src/codec/events.js';
import type { TelnetEvent, WarningCode } from '../../src/codec/events.js';
import { createDecoder, decodeAll, decodeChunk, decodeInto, flushInto } from '../../src/codec/parser.js';
import type { DecoderOptions, TelnetSink } from '../../src/codec/parser.js';
import { normalize } from './normalize.js';

const { IAC, SB, SE, WILL, DO, GA } = Command;
const bytes = (...values: number[]) => Uint8Array.from(values);

type Call =
  | readonly ['data', Uint8Array, number, number]
  | readonly ['command', number]
  | readonly ['negotiation', number, number]
  | readonly ['subnegotiation', number, Uint8Array]
  | readonly ['warning', WarningCode, string];

/** A sink that records its calls as they come (payloads and data as they are passed, not copied). */
const recorder = () => {
  const calls: Call[] = [];
  const sink: TelnetSink = {
    data: (chunk, start, end) => calls.push(['data', chunk, start, end]),
    command: (command) => calls.push(['command', command]),
    negotiation: (verb, option) => calls.push(['negotiation', verb, option]),
    subnegotiation: (option, payload) => calls.push(['subnegotiation', option, payload]),
    warning: (code, detail) => calls.push(['warning', code, detail]),
  };
  return { calls, sink };
};

/** Calls as plain values: data as the bytes of its range, payloads copied when they were passed. */
const copying = () => {
  const calls: unknown[] = [];
  const sink: TelnetSink = {
    data: (chunk, start, end) => calls.push(['data', [...chunk.subarray(start, end)]]),
    command: (command) => calls.push(['command', command]),
    negotiation: (verb, option) => calls.push(['negotiation', verb, option]),
    subnegotiation: (option, payload) => calls.push(['subnegotiation', option, [...payload]]),
    warning: (code) => calls.push(['warning', code]),
  };
  return { calls, sink };
};

/** The same bytes, from `offset` into a larger buffer (so the chunk is unaligned). */
const placed = (values: Uint8Array, offset: number): Uint8Array => {
  const buffer = new Uint8Array(values.length + offset + 5).fill(IAC);
  buffer.set(values, offset);
  return buffer.subarray(offset, offset + values.length);
};

const events = (chunks: Uint8Array[], options?: DecoderOptions) => normalize(decodeAll(chunks, options));

describe('decodeInto', () => {
  it('passes data as ranges of the chunk itself, without a copy', () => {
    const chunk = bytes(104, 105, IAC, GA, 33);
    const { calls, sink } = recorder();
    expect(decodeInto(createDecoder(), chunk, sink)).toBe(5);
    expect(calls).toEqual([
      ['data', chunk, 0, 2],
      ['command', GA],
      ['data', chunk, 4, 5],
    ]);
    expect((calls[0] as readonly unknown[])[1]).toBe(chunk);
  });

  it('passes negotiation verbs as their bytes, and unescapes IAC IAC in data', () => {
    const { calls, sink } = copying();
    decodeInto(createDecoder(), bytes(IAC, WILL, TelnetOption.ECHO, 1, IAC, IAC, 2, IAC, DO, 31), sink);
    expect(calls).toEqual([
      ['negotiation', WILL, TelnetOption.ECHO],
      ['data', [1, IAC]],
      ['data', [2]],
      ['negotiation', DO, 31],
    ]);
  });

  it('passes an unescaped payload as a view of a buffer it reuses: copy it to keep it', () => {
    const chunk = bytes(IAC, SB, 31, 0, IAC, IAC, 0, 24, IAC, SE, IAC, SB, 31, 0, 80, 0, 25, IAC, SE);
    const { calls, sink } = recorder();
    decodeInto(createDecoder(), chunk, sink);
    const [first, second] = calls;
    expect(first?.[0]).toBe('subnegotiation');
    // Both are views of the same assembly buffer: the first now shows the second's bytes.
    expect(first?.[2]).toBe(second?.[2]);
    expect([...(second?.[2] as Uint8Array)]).toEqual([0, 80, 0, 25]);
    expect((second?.[2] as Uint8Array).buffer).not.toBe(chunk.buffer);
  });

  it('passes the payload it saw to the sink during the call, for every path', () => {
    const message = bytes(65, IAC, SB, 24, 0, 120, IAC, IAC, 116, IAC, SE, IAC, SB, 201, 1, 2, 3, IAC, SE, 66);
    for (let cut = 0; cut <= message.length; cut++) {
      const got: TelnetEvent[] = [];
      const sink: TelnetSink = {
        data: (chunk, start, end) => got.push(data(chunk.slice(start, end))),
        command: () => undefined,
        negotiation: () => undefined,
        subnegotiation: (option, payload) => got.push(subnegotiation(option, payload.slice())),
        warning: () => undefined,
      };
      const decoder = createDecoder();
      decodeInto(decoder, message.subarray(0, cut), sink);
      decodeInto(decoder, message.subarray(cut), sink);
      flushInto(decoder, sink);
      expect(normalize(got)).toEqual([
        { _tag: 'Data', bytes: [65] },
        { _tag: 'Subnegotiation', option: 24, payload: [0, 120, IAC, 116] },
        { _tag: 'Subnegotiation', option: 201, payload: [1, 2, 3] },
        { _tag: 'Data', bytes: [66] },
      ]);
    }
  });

  it('passes a long payload without escapes as a view of the chunk', () => {
    const payload = Array.from({ length: 100 }, (_, k) => k);
    const chunk = bytes(IAC, SB, 201, ...payload, IAC, SE);
    const { calls, sink } = recorder();
    decodeInto(createDecoder(), chunk, sink);
    const view = calls[0]?.[2] as Uint8Array;
    expect([...view]).toEqual(payload);
    expect(view.buffer).toBe(chunk.buffer);
  });

  it('returns what decodeChunk returns, pausing after the subnegotiation pauseAfter asks for', () => {
    const chunk = bytes(IAC, SB, TelnetOption.MCCP2, IAC, SE, 120, 156);
    const asked: number[] = [];
    const pauseAfter = (option: number) => {
      asked.push(option);
      return option === TelnetOption.MCCP2;
    };
    const { calls, sink } = recorder();
    expect(decodeInto(createDecoder(), chunk, sink, pauseAfter)).toBe(5);
    expect(decodeChunk(createDecoder(), chunk, () => undefined, pauseAfter)).toBe(5);
    expect(asked).toEqual([TelnetOption.MCCP2, TelnetOption.MCCP2]);
    expect(calls.map((call) => call[0])).toEqual(['subnegotiation']);
  });

  it('skips the subnegotiations its wants declines, whole or assembled, and still asks pauseAfter of them', () => {
    const long = Array.from({ length: 100 }, (_, k) => k);
    const chunks = [
      bytes(IAC, SB, TelnetOption.NAWS, 0, 80, 0, 24, IAC, SE, IAC, SB, 201, ...long, IAC, SE),
      bytes(IAC, SB, 201, 1, 2),
      bytes(3, IAC, SE, IAC, SB, TelnetOption.MCCP2, IAC, SE, 120),
    ];
    const wanted: number[] = [];
    const asked: number[] = [];
    const { calls, sink } = recorder();
    const choosy: TelnetSink = {
      ...sink,
      wants: (option) => {
        wanted.push(option);
        return option === TelnetOption.NAWS;
      },
    };
    const decoder = createDecoder({ maxSubnegotiation: 8 });
    const pauseAfter = (option: number) => {
      asked.push(option);
      return option === TelnetOption.MCCP2;
    };
    expect(chunks.map((chunk) => decodeInto(decoder, chunk, choosy, pauseAfter))).toEqual([chunks[0]?.length, 5, 8]);
    // the 100-byte payload passes the limit: a warning, and neither wants nor pauseAfter is asked of it
    expect(wanted).toEqual([TelnetOption.NAWS, 201, TelnetOption.MCCP2]);
    expect(asked).toEqual(wanted);
    expect(calls.map((call) => call.slice(0, 2))).toEqual([
      ['subnegotiation', TelnetOption.NAWS],
      ['warning', 'SubnegotiationTooLong'],
    ]);
  });

  it('reads a Buffer-like subclass through a plain view of its memory, which the sink gets', () => {
    class Bytes extends Uint8Array {}
    const chunk = new Bytes([104, 105, IAC, GA, 33]);
    const { calls, sink } = recorder();
    decodeInto(createDecoder(), chunk, sink);
    const passed = calls[0]?.[1] as Uint8Array;
    expect(passed.constructor).toBe(Uint8Array);
    expect([passed.buffer, passed.byteOffset, passed.length]).toEqual([chunk.buffer, chunk.byteOffset, chunk.length]);
    expect(calls.map((call) => (call[0] === 'data' ? ['data', call[2], call[3]] : call))).toEqual([
      ['data', 0, 2],
      ['command', GA],
      ['data', 4, 5],
    ]);
  });

  it('passes a CR held over a chunk edge (nvt) as one byte, and flushInto passes a held CR or warns', () => {
    const { calls, sink } = copying();
    const decoder = createDecoder({ newline: 'nvt' });
    decodeInto(decoder, bytes(97, 13), sink);
    decodeInto(decoder, bytes(0, 98, 13), sink);
    flushInto(decoder, sink);
    decodeInto(decoder, bytes(IAC, SB, 24), sink);
    flushInto(decoder, sink);
    expect(calls).toEqual([
      ['data', [97]],
      ['data', [13]],
      ['data', [98]],
      ['data', [13]],
      ['warning', 'Truncated'],
    ]);
  });

  it('reports anomalies as warnings', () => {
    const { calls, sink } = copying();
    decodeInto(createDecoder({ maxSubnegotiation: 2 }), bytes(IAC, SE, IAC, SB, 24, 1, 2, 3, IAC, SE), sink);
    expect(calls).toEqual([
      ['warning', 'StraySE'],
      ['warning', 'SubnegotiationTooLong'],
    ]);
  });
});

describe('decodeChunk on decodeInto', () => {
  it('gives plain events: data views, shared commands, payload copies that outlive the buffer reuse', () => {
    const got: TelnetEvent[] = [];
    decodeChunk(createDecoder(), bytes(IAC, SB, 31, 0, 80, 0, 24, IAC, SE, IAC, SB, 31, 0, 81, 0, 25, IAC, SE), (e) =>
      got.push(e),
    );
    expect(normalize(got)).toEqual([
      { _tag: 'Subnegotiation', option: 31, payload: [0, 80, 0, 24] },
      { _tag: 'Subnegotiation', option: 31, payload: [0, 81, 0, 25] },
    ]);
  });

  it('copies payloads of every size so that none changes with the chunk or with a later payload', () => {
    const sizes = [0, 5, 64, 65, 100, 1000, 1024, 1025, 3000, 700, 700, 700, 700, 700, 700, 700, 700, 700, 700];
    const chunks = sizes.map((size, n) =>
      Uint8Array.from([IAC, SB, 201, ...Array.from({ length: size }, (_, k) => (k + n) % 250), IAC, SE]),
    );
    const got: TelnetEvent[] = [];
    const decoder = createDecoder();
    for (const chunk of chunks) decodeChunk(decoder, chunk, (e) => got.push(e));
    for (const chunk of chunks) chunk.fill(0);
    expect(got.map((e) => (e._tag === 'Subnegotiation' ? [...e.payload] : []))).toEqual(
      sizes.map((size, n) => Array.from({ length: size }, (_, k) => (k + n) % 250)),
    );
  });

  it('gives a fresh CR for a held one, not the shared byte', () => {
    const decoder = createDecoder({ newline: 'nvt' });
    const got: TelnetEvent[] = [];
    decodeChunk(decoder, bytes(13), (e) => got.push(e));
    decodeChunk(decoder, bytes(98), (e) => got.push(e));
    decodeChunk(decoder, bytes(13), (e) => got.push(e));
    decodeChunk(decoder, bytes(99), (e) => got.push(e));
    const [cr1, , cr2] = got as { bytes: Uint8Array }[];
    expect(cr1?.bytes).not.toBe(cr2?.bytes);
    expect(normalize(got)).toEqual([{ _tag: 'Data', bytes: [13, 98, 13, 99] }]);
  });
});

describe('the scan over long runs', () => {
  const long = (length: number) => Uint8Array.from({ length }, (_, k) => 32 + (k % 90));

  it('finds an IAC at every position of a plain Uint8Array, at every alignment', () => {
    for (let offset = 0; offset < 4; offset++) {
      for (let at = 0; at < 70; at++) {
        const values = long(70);
        values[at] = IAC;
        values[at + 1 < 70 ? at + 1 : at] = at + 1 < 70 ? GA : IAC;
        const chunk = placed(values, offset);
        expect(events([chunk])).toEqual(events(Array.from(values, (v) => bytes(v))));
      }
    }
  });

  it('finds a CR at every position in nvt mode, at every alignment', () => {
    for (let offset = 0; offset < 4; offset++) {
      for (let at = 0; at < 70; at++) {
        const values = long(71);
        values[at] = 13;
        values[at + 1] = 0;
        const chunk = placed(values, offset);
        expect(events([chunk], { newline: 'nvt' })).toEqual(
          events(
            Array.from(values, (v) => bytes(v)),
            { newline: 'nvt' },
          ),
        );
      }
    }
  });

  it('reads a chunk whose buffer length is not a multiple of four, and one with no IAC at all', () => {
    const values = long(103);
    values[101] = IAC;
    values[102] = GA;
    expect(events([values])).toEqual([
      { _tag: 'Data', bytes: [...values.subarray(0, 101)] },
      { _tag: 'Command', command: GA },
    ]);
    expect(events([long(101)])).toEqual([{ _tag: 'Data', bytes: [...long(101)] }]);
  });

  it("asks a chunk with its own indexOf (a Node Buffer's memchr) rather than scanning it", () => {
    let asked = 0;
    class Searching extends Uint8Array {
      override indexOf(value: number, from?: number): number {
        asked++;
        return super.indexOf(value, from);
      }
    }
    const values = long(200);
    values[150] = IAC;
    values[151] = GA;
    const chunk = new Searching(values);
    expect(events([chunk])).toEqual(events([values]));
    expect(asked).toBeGreaterThan(0);
  });
});
