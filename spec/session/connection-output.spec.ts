import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createConnection } from '../../src/session/connection.js';
import type { CloseReason } from '../../src/session/connection.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { Compression, DeflaterSink } from '../../src/transport/compression.js';
import { manualTransport } from '../../src/testing/index.js';
import type { ManualTransport } from '../../src/testing/index.js';

const IAC = 255;
const DO = 253;
const DONT = 254;
const KiB = 1024;

/** A transport whose peer reads only when told: writes wait in `bufferedBytes`, `drain` emits on `peerReads`. */
interface SlowTransport extends ManualTransport {
  readonly peerReads: () => void;
  readonly calls: string[];
}

const slowTransport = (highWaterMark = 16 * KiB): SlowTransport => {
  const inner = manualTransport();
  const drained = new Subject<void>();
  const calls: string[] = [];
  let waiting = 0;
  return {
    ...inner,
    write: (bytes) => {
      inner.write(bytes);
      waiting += bytes.length;
      return waiting < highWaterMark;
    },
    bufferedBytes: () => waiting,
    drain: drained,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: () => {
      calls.push('abort');
      inner.peerCloses();
    },
    close: () => {
      calls.push('close');
      inner.close();
    },
    peerReads: () => {
      waiting = 0;
      drained.next();
    },
    calls,
  };
};

const marbles = (test: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): void => {
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  }).run(test);
};

describe('createConnection: bounded output', () => {
  it('stops reading past maxBufferedOutput, and closes with OutputOverflow when the deadline passes', () => {
    marbles(({ expectObservable, flush }) => {
      const transport = slowTransport();
      const connection = createConnection(transport, { maxBufferedOutput: 64 * KiB, outputOverflowTimeout: 3000 });
      expect(connection.write(new Uint8Array(60 * KiB))).toBe(false); // the transport's own mark
      expect(transport.calls).toEqual([]);
      expect(connection.write(new Uint8Array(8 * KiB))).toBe(false);
      expect(transport.calls).toEqual(['pause']);
      const overflow: CloseReason = { _tag: 'OutputOverflow', buffered: 68 * KiB, limit: 64 * KiB };
      expectObservable(connection.closed$).toBe('3000ms (a|)', { a: overflow });
      flush();
      expect(transport.calls).toEqual(['pause', 'abort']);
      expect(connection.write('late')).toBe(false);
    });
  });

  it('reads again once the peer has read, and the deadline is off', () => {
    marbles(({ cold, expectObservable }) => {
      const transport = slowTransport();
      const connection = createConnection(transport, { maxBufferedOutput: 64 * KiB, outputOverflowTimeout: 3000 });
      connection.write(new Uint8Array(100 * KiB));
      cold('2999ms a').subscribe(() => {
        transport.peerReads();
        expect(transport.calls).toEqual(['pause', 'resume']);
        expect(connection.write('more')).toBe(true);
      });
      expectObservable(connection.closed$, '^ 10s !').toBe('');
    });
  });

  it('closes at once past 4 times the mark, without waiting for the deadline', () => {
    marbles(({ expectObservable }) => {
      const transport = slowTransport();
      const connection = createConnection(transport, { maxBufferedOutput: 64 * KiB });
      connection.write(new Uint8Array(257 * KiB));
      expectObservable(connection.closed$).toBe('(a|)', {
        a: { _tag: 'OutputOverflow', buffered: 257 * KiB, limit: 64 * KiB },
      });
    });
  });

  it('never times out with outputOverflowTimeout Infinity', () => {
    marbles(({ expectObservable }) => {
      const transport = slowTransport();
      const connection = createConnection(transport, { maxBufferedOutput: 64 * KiB, outputOverflowTimeout: Infinity });
      connection.write(new Uint8Array(100 * KiB));
      expect(transport.calls).toEqual(['pause']);
      expectObservable(connection.closed$, '^ 1000s !').toBe('');
    });
  });

  it('counts its own negotiation answers: a peer that asks and never reads is throttled', () => {
    const transport = slowTransport();
    createConnection(transport, { maxBufferedOutput: 600 });
    for (let option = 0; option < 256; option++) transport.receive(IAC, DO, option, IAC, DONT, option);
    expect(transport.calls).toEqual(['pause']);
  });

  it('keeps the application pause through the throttle, and the throttle through resume()', () => {
    const transport = slowTransport();
    const connection = createConnection(transport, { maxBufferedOutput: 64 * KiB });
    connection.pause();
    connection.write(new Uint8Array(100 * KiB));
    transport.peerReads();
    expect(transport.calls).toEqual(['pause']);
    connection.write(new Uint8Array(100 * KiB));
    connection.resume();
    expect(transport.calls).toEqual(['pause']);
    transport.peerReads();
    expect(transport.calls).toEqual(['pause', 'resume']);
  });

  it('refuses invalid limits with a RangeError', () => {
    const transport = manualTransport();
    for (const maxBufferedOutput of [0, -1, Number.NaN]) {
      expect(() => createConnection(transport, { maxBufferedOutput })).toThrow(RangeError);
    }
    for (const outputOverflowTimeout of [-1, Number.NaN]) {
      expect(() => createConnection(transport, { outputOverflowTimeout })).toThrow(RangeError);
    }
  });
});

/** A deflater that holds what it is given until `run()`, like node:zlib's thread pool, and reports its backlog. */
const asyncEngine = (reportsBacklog: boolean) => {
  let sink: DeflaterSink | undefined;
  const queue: Uint8Array[] = [];
  let ending = false;
  const compression: Compression = {
    inflater: () => {
      throw new Error('not used');
    },
    deflater: (deflaterSink) => {
      sink = deflaterSink;
      return {
        write: (chunk) => queue.push(chunk),
        end: () => {
          ending = true;
        },
        destroy: () => {
          sink = undefined;
        },
        ...(reportsBacklog ? { bufferedBytes: () => queue.reduce((n, chunk) => n + chunk.length, 0) } : {}),
      };
    },
  };
  return {
    compression,
    run: () => {
      for (const chunk of queue.splice(0)) sink?.data(Uint8Array.of(0xcc, chunk.length & 0xff));
      if (ending) {
        sink?.data(Uint8Array.of(0xee));
        sink?.end();
      }
    },
  };
};

const startMccp2 = (transport: ManualTransport): void => {
  transport.receive(IAC, DO, TelnetOption.MCCP2);
};

describe('createConnection: bounded output while compressing', () => {
  for (const reportsBacklog of [true, false]) {
    it(`counts the input waiting in the compression engine (${reportsBacklog ? 'reported' : 'since its last output'})`, () => {
      const transport = slowTransport();
      const engine = asyncEngine(reportsBacklog);
      const connection = createConnection(transport, {
        compression: engine.compression,
        policy: policyOf({ local: [TelnetOption.MCCP2] }),
        maxBufferedOutput: 64 * KiB,
      });
      startMccp2(transport);
      expect(connection.isCompressing('output')).toBe(true);
      for (let i = 0; i < 100; i++) connection.write(new Uint8Array(KiB));
      expect(transport.calls).toEqual(['pause']);
      engine.run();
      expect(transport.calls).toEqual(['pause', 'resume']);
    });
  }
});

/** A connection that agrees to MCCP2 over a transport driven by the test, with an engine run by hand. */
const compressingServer = () => {
  const transport = manualTransport();
  const engine = asyncEngine(true);
  const connection = createConnection(transport, {
    compression: engine.compression,
    policy: policyOf({ local: [TelnetOption.MCCP2] }),
  });
  const reasons: CloseReason[] = [];
  connection.closed$.subscribe((reason) => reasons.push(reason));
  return { transport, engine, connection, reasons };
};

describe('createConnection: the peer ends its side', () => {
  it('flushes what was written before closing, through a compressed stream that finishes later', () => {
    const { transport, engine, connection, reasons } = compressingServer();
    connection.data$.subscribe(() => connection.write('answer'));
    startMccp2(transport);
    transport.receive(0x61, 0x0d, 0x0a);
    transport.peerCloses();
    expect(reasons).toEqual([]);
    expect(transport.closeCalls()).toBe(0);
    engine.run();
    expect(transport.wire().slice(-3)).toEqual([0xcc, 6, 0xee]); // the last answer, then the end of the stream
    expect(transport.closeCalls()).toBe(1);
    expect(reasons).toEqual([{ _tag: 'ClosedByPeer' }]);
  });

  it('keeps our flush when the peer ends its side while loseConnection finishes the compressed stream', () => {
    const { transport, engine, connection, reasons } = compressingServer();
    startMccp2(transport);
    connection.write('bye');
    connection.loseConnection();
    transport.peerCloses();
    expect(reasons).toEqual([]);
    engine.run();
    expect(transport.wire().slice(-3)).toEqual([0xcc, 3, 0xee]);
    expect(reasons).toEqual([{ _tag: 'ClosedByUs' }]);
  });
});
