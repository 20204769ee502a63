import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Compression, DeflaterSink } from '../../src/transport/compression.js';
import { Outbox } from '../../src/session/outbox.js';
import type { OutboxHooks, OutboxLimits } from '../../src/session/outbox.js';
import { manualTransport } from '../../src/testing/index.js';

/** A deflater that "compresses" by tagging each write, and finishes only when the test says so. */
const fakeEngines = () => {
  let sink: DeflaterSink | undefined;
  const compression: Compression = {
    inflater: () => {
      throw new Error('not used');
    },
    deflater: (deflaterSink) => {
      sink = deflaterSink;
      return {
        write: (chunk) => {
          deflaterSink.data(Uint8Array.of(0xcc, ...chunk));
        },
        end: () => undefined,
        destroy: () => undefined,
      };
    },
  };
  return {
    compression,
    finish: () => {
      sink?.data(Uint8Array.of(0xee));
      sink?.end();
    },
  };
};

const limits: OutboxLimits = { maxBufferedOutput: 1024, outputOverflowTimeout: 1000, scheduler: asyncScheduler };
const quiet: OutboxHooks = {
  compression: () => undefined,
  failed: () => undefined,
  throttle: () => undefined,
  overflow: () => undefined,
};

const setup = () => {
  const transport = manualTransport();
  const engines = fakeEngines();
  const events: string[] = [];
  const outbox = new Outbox(
    transport,
    engines.compression,
    {
      compression: (started, option) => events.push(`${started ? 'started' : 'ended'} ${option}`),
      failed: (detail) => events.push(`failed ${detail}`),
      throttle: (on) => events.push(`throttle ${on}`),
      overflow: (buffered) => events.push(`overflow ${buffered}`),
    },
    limits,
  );
  return { transport, engines, events, outbox };
};

describe('Outbox', () => {
  it('announces the stream, compresses after it, and holds writes while the stream finishes', () => {
    const { transport, engines, events, outbox } = setup();
    outbox.write(Uint8Array.of(1));
    outbox.startCompressing(86);
    outbox.write(Uint8Array.of(2));
    outbox.stopCompressing(86);
    outbox.write(Uint8Array.of(3));
    expect(transport.wire()).toEqual([1, 255, 250, 86, 255, 240, 0xcc, 2]);
    engines.finish();
    expect(transport.wire()).toEqual([1, 255, 250, 86, 255, 240, 0xcc, 2, 0xee, 3]);
    expect(events).toEqual(['started 86', 'ended 86']);
    expect(outbox.compressing).toBe(false);
  });

  it('ignores a stop for another option, and closes only once the compressed stream is finished', () => {
    const { transport, engines, outbox } = setup();
    outbox.startCompressing(87);
    outbox.stopCompressing(86);
    expect(outbox.compressing).toBe(true);
    outbox.close();
    expect(outbox.write(Uint8Array.of(9))).toBe(false);
    expect(transport.closeCalls()).toBe(0);
    engines.finish();
    expect(transport.closeCalls()).toBe(1);
    expect(transport.wire().at(-1)).toBe(0xee);
  });

  it('writes plainly and never compresses without engines', () => {
    const transport = manualTransport();
    const outbox = new Outbox(transport, undefined, quiet, limits);
    outbox.startCompressing(86);
    outbox.write(Uint8Array.of(7));
    expect(transport.wire()).toEqual([7]);
    outbox.close();
    expect(transport.closeCalls()).toBe(1);
  });

  it("reports the transport's backpressure while compressing, one write late", () => {
    const { transport, outbox } = setup();
    let full = false;
    const write = transport.write.bind(transport);
    Object.assign(transport, { write: (bytes: Uint8Array) => write(bytes) && !full });
    outbox.startCompressing(86);
    full = true;
    expect(outbox.write(Uint8Array.of(1))).toBe(false);
    full = false;
    expect(outbox.write(Uint8Array.of(2))).toBe(true);
  });

  it('writes nothing once destroyed', () => {
    const { transport, engines, outbox } = setup();
    outbox.startCompressing(86);
    outbox.destroy();
    engines.finish();
    expect(outbox.write(Uint8Array.of(1))).toBe(false);
    expect(transport.wire()).toEqual([255, 250, 86, 255, 240]);
  });
});
