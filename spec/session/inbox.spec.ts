import { constants, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TelnetEvent } from '../../src/codec/events.js';
import type { DecompressionError } from '../../src/negotiation/errors.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { Inbox } from '../../src/session/inbox.js';
import type { InboxOptions } from '../../src/session/inbox.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';

const { IAC, SB, SE, GA } = Command;
const { MCCP2, MCCP3 } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const startMarker = (option: number): number[] => [IAC, SB, option, IAC, SE];
const chunk = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

/** Resolves once `done()` holds (the zlib thread pool answers late on a busy machine), or after 5 s. */
const until = async (done: () => boolean): Promise<void> => {
  for (let waited = 0; !done() && waited < 5000; waited += 10) await tick();
};

/** Resolves after the zlib thread pool has had time to answer, for checking that nothing happens. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await tick();
};

/** An inbox whose peer compresses after `IAC SB MCCP2 IAC SE` (unless told otherwise), recording what it reports. */
const setup = (
  options: Partial<InboxOptions> & {
    readonly compresses?: readonly number[];
    readonly engines?: boolean;
    readonly observed?: () => boolean;
  } = {},
) => {
  const subnegotiated: number[] = [];
  const events: TelnetEvent[] = [];
  const reports: string[] = [];
  const failures: DecompressionError[] = [];
  const compresses = options.compresses ?? [MCCP2];
  const inbox = new Inbox(
    { newline: options.newline ?? 'raw', maxInflatedPerChunk: options.maxInflatedPerChunk },
    options.engines === false ? undefined : nodeCompression,
    {
      data: (bytes) => events.push({ _tag: 'Data', bytes }),
      observed: options.observed ?? (() => true),
      event: (event) => events.push(event),
      subnegotiated: (option) => subnegotiated.push(option),
      compressesAfter: (option) => compresses.includes(option),
      compression: (started, option) => reports.push(`${started ? 'started' : 'ended'} ${option}`),
      failed: (option, error) => {
        reports.push(`failed ${option}`);
        failures.push(error);
      },
    },
  );
  const dataText = (): string =>
    new TextDecoder().decode(
      Uint8Array.from(events.flatMap((event) => (event._tag === 'Data' ? [...event.bytes] : []))),
    );
  const tags = (): string[] => events.map((event) => event._tag);
  return { inbox, events, reports, failures, subnegotiated, dataText, tags };
};

describe('Inbox', () => {
  it('decodes plain bytes into events in wire order, and never inflates without a start marker', () => {
    const { inbox, events, reports } = setup();
    inbox.receive(chunk(...text('hi'), IAC, GA, ...text('!')));
    expect(events).toEqual([
      { _tag: 'Data', bytes: Uint8Array.from(text('hi')) },
      { _tag: 'Command', command: GA },
      { _tag: 'Data', bytes: Uint8Array.from(text('!')) },
    ]);
    expect(inbox.inflating).toBe(false);
    expect(reports).toEqual([]);
  });

  it('joins the data runs of a chunk between two events into one array, a copy only where bytes were dropped', () => {
    const { inbox, events } = setup({ newline: 'nvt' });
    const lines = chunk(...text('one\r\ntwo\r\n'), IAC, GA, ...text('x'), IAC, IAC, ...text('y'), 13);
    inbox.receive(lines);
    inbox.receive(chunk(10, ...text('z')));
    expect(events).toEqual([
      { _tag: 'Data', bytes: Uint8Array.from(text('one\ntwo\n')) },
      { _tag: 'Command', command: GA },
      { _tag: 'Data', bytes: Uint8Array.of(0x78, IAC, 0x79) },
      { _tag: 'Data', bytes: Uint8Array.from(text('\nz')) },
    ]);
    const first = events[0];
    lines.fill(0);
    expect(first?._tag === 'Data' && new TextDecoder().decode(first.bytes)).toBe('one\ntwo\n');
  });

  it('passes a chunk with nothing to drop as one view of it', () => {
    const { inbox, events } = setup();
    const whole = chunk(...text('plain text'));
    inbox.receive(whole);
    const [only] = events;
    expect(events).toHaveLength(1);
    expect(only?._tag === 'Data' && only.bytes.buffer).toBe(whole.buffer);
  });

  it('makes no command or subnegotiation event unless observed (nor ends the data run), but always negotiations, warnings and the subnegotiated hook', () => {
    const { inbox, tags, subnegotiated } = setup({ observed: () => false });
    inbox.receive(chunk(...text('a'), IAC, GA, IAC, SB, 24, 0, IAC, SE, IAC, 253, 1, IAC, SE, ...text('b')));
    expect(tags()).toEqual(['Data', 'Negotiation', 'Warning', 'Data']);
    const unread = setup({ observed: () => false });
    unread.inbox.receive(chunk(...text('a'), IAC, GA, ...text('b'), IAC, SB, 24, 0, IAC, SE, ...text('c')));
    expect(unread.events).toEqual([{ _tag: 'Data', bytes: Uint8Array.from(text('abc')) }]);
    expect(subnegotiated).toEqual([24]);
  });

  it('inflates from the byte after the start marker in the same chunk, and reads the bytes after the stream as plain Telnet', async () => {
    const { inbox, reports, dataText, events } = setup();
    const compressed = [...deflateSync(Uint8Array.from([...text('hello '), IAC, GA]))];
    inbox.receive(chunk(...text('before '), ...startMarker(MCCP2), ...compressed, ...text('after'), IAC, GA));
    expect(inbox.inflating).toBe(true);
    expect(reports).toEqual([`started ${MCCP2}`]);
    await until(() => !inbox.inflating);
    expect(inbox.inflating).toBe(false);
    expect(reports).toEqual([`started ${MCCP2}`, `ended ${MCCP2}`]);
    expect(dataText()).toBe('before hello after');
    expect(events.filter((event) => event._tag === 'Command')).toHaveLength(2);
    expect(events.filter((event) => event._tag === 'Subnegotiation')).toEqual([
      { _tag: 'Subnegotiation', option: MCCP2, payload: new Uint8Array(0) },
    ]);
  });

  it('starts inflating after a start marker split across chunks, and takes the stream byte by byte', async () => {
    const { inbox, reports, dataText } = setup();
    inbox.receive(chunk(IAC, SB));
    inbox.receive(chunk(MCCP2, IAC));
    expect(inbox.inflating).toBe(false);
    inbox.receive(chunk(SE));
    expect(inbox.inflating).toBe(true);
    expect(reports).toEqual([`started ${MCCP2}`]);
    const compressed = deflateSync(Uint8Array.from(text('split, yet whole')), { flush: constants.Z_SYNC_FLUSH });
    for (const byte of compressed) inbox.receive(chunk(byte));
    await until(() => dataText() === 'split, yet whole');
    expect(dataText()).toBe('split, yet whole');
    expect(inbox.inflating).toBe(true);
  });

  it('starts another compressed stream from the plain bytes that follow the end of one', async () => {
    const { inbox, reports, dataText } = setup({ compresses: [MCCP2, MCCP3] });
    const first = [...deflateSync(Uint8Array.from(text('one ')))];
    const second = [...deflateSync(Uint8Array.from(text('two')))];
    inbox.receive(chunk(...startMarker(MCCP2), ...first, ...startMarker(MCCP3), ...second, ...text(' three')));
    await until(() => reports.length === 4);
    expect(dataText()).toBe('one two three');
    expect(reports).toEqual([`started ${MCCP2}`, `ended ${MCCP2}`, `started ${MCCP3}`, `ended ${MCCP3}`]);
  });

  it('reads a start marker as a plain subnegotiation when no compressed stream follows it, or without engines', () => {
    for (const inbox of [setup({ compresses: [] }), setup({ engines: false })]) {
      inbox.inbox.receive(chunk(...startMarker(MCCP2), ...text('plain')));
      expect(inbox.inbox.inflating).toBe(false);
      expect(inbox.dataText()).toBe('plain');
      expect(inbox.tags()).toEqual(['Subnegotiation', 'Data']);
      expect(inbox.reports).toEqual([]);
    }
  });

  it('on a corrupt stream: warns, ends the stream, reports the failure, and reads what follows as plain Telnet', async () => {
    const { inbox, events, reports, failures, dataText } = setup();
    inbox.receive(chunk(...startMarker(MCCP2), 0x78, 0x9c, 0xff, 0xff, 0xff, 0xff));
    await until(() => failures.length > 0);
    expect(inbox.inflating).toBe(false);
    expect(reports).toEqual([`started ${MCCP2}`, `ended ${MCCP2}`, `failed ${MCCP2}`]);
    expect(failures[0]).toMatchObject({ _tag: 'DecompressionError', option: MCCP2, reason: 'Corrupt' });
    expect(events.at(-1)).toMatchObject({ _tag: 'Warning', code: 'Inflate' });
    inbox.receive(chunk(...text('still here')));
    expect(dataText()).toBe('still here');
  });

  it('reports a compression bomb as TooLarge', async () => {
    const { inbox, failures } = setup({ maxInflatedPerChunk: 64 * 1024 });
    inbox.receive(Uint8Array.from([...startMarker(MCCP2), ...deflateSync(new Uint8Array(1024 * 1024))]));
    await until(() => failures.length > 0);
    expect(failures[0]).toMatchObject({ reason: 'TooLarge' });
  });

  it('at the end of input: finishes at once when nothing is compressed', () => {
    const { inbox } = setup();
    let finished = 0;
    inbox.finish(() => finished++);
    expect(finished).toBe(1);
  });

  it('at the end of input: finishes once the inflater has delivered every byte it holds', async () => {
    const { inbox, dataText } = setup();
    const compressed = [...deflateSync(Uint8Array.from(text('last words')), { flush: constants.Z_SYNC_FLUSH })];
    inbox.receive(chunk(...startMarker(MCCP2), ...compressed));
    const seenAtFinish: string[] = [];
    inbox.finish(() => seenAtFinish.push(dataText()));
    expect(seenAtFinish).toEqual([]);
    await until(() => seenAtFinish.length > 0);
    expect(seenAtFinish).toEqual(['last words']);
  });

  it('flushes what the decoder holds: a CR at the end of the input, or a truncated command', () => {
    const nvt = setup({ newline: 'nvt' });
    nvt.inbox.receive(chunk(...text('a'), 13));
    nvt.inbox.flush();
    expect(nvt.dataText()).toBe('a\r');
    const truncated = setup();
    truncated.inbox.receive(chunk(IAC));
    truncated.inbox.flush();
    expect(truncated.events).toEqual([{ _tag: 'Warning', code: 'Truncated', detail: expect.any(String) as string }]);
  });

  it('switches newline handling from the next byte on', () => {
    const { inbox, dataText } = setup({ newline: 'nvt' });
    inbox.receive(chunk(...text('a\r\n')));
    inbox.setNewline('raw');
    inbox.receive(chunk(...text('b\r\n')));
    expect(dataText()).toBe('a\nb\r\n');
  });

  it('emits nothing more once destroyed, not even what the inflater was working on', async () => {
    const { inbox, events, reports } = setup();
    inbox.receive(chunk(...startMarker(MCCP2), ...deflateSync(Uint8Array.from(text('lost')))));
    const before = events.length;
    let finished = false;
    inbox.finish(() => (finished = true));
    inbox.destroy();
    await settle();
    expect(events).toHaveLength(before);
    expect(reports).toEqual([`started ${MCCP2}`]);
    expect(inbox.inflating).toBe(false);
    expect(finished).toBe(false);
  });
});
