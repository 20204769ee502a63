/**
 * Golden transcript replay: the bytes real clients and servers put on the wire (spec/fixtures/transcripts/, see
 * its README) are fed, in their original chunks, into rxtelnet connections over a scripted transport. Client
 * transcripts drive a MUD server built from `mudServerPolicy` and the option helpers; server transcripts drive a
 * client, whose answers on the wire are checked byte for byte.
 */
import * as E from 'fp-ts/lib/Either.js';
import { of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelnetEvent } from '../../src/codec/events.js';
import { mudClientPolicy, mudServerPolicy } from '../../src/options/presets.js';
import { standardMudClient, type MudClientEvent } from '../../src/option-helpers/standard-mud-client.js';
import { MsspVariable, type MsspTable } from '../../src/options/mssp.js';
import { serveMssp } from '../../src/option-helpers/mssp.js';
import { type WindowSize } from '../../src/options/naws.js';
import { windowSizes } from '../../src/option-helpers/naws.js';
import { mttsFromBits, MttsBit, type TtypeReport } from '../../src/options/ttype.js';
import { requestTerminalTypes } from '../../src/option-helpers/ttype.js';
import { lines, type TextLine } from '../../src/operators/lines.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection, type ConnectionOptions, type TelnetConnection } from '../../src/session/connection.js';
import { portableCompression } from '../../src/transport/portable-compression.js';
import { constants, inflateSync } from 'node:zlib';
import { manualTransport, type ManualTransport } from '../../src/testing/index.js';
import { describeItem, scan } from '../interop/telnet-scan.js';
import { loadTranscripts, type Transcript } from '../interop/transcript.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const WILL = 251;
const WONT = 252;
const DO = 253;
const DONT = 254;

const transcripts = loadTranscripts();

/** Every scripted transport of a test: the peer hangs up afterwards, which settles any request still waiting. */
const opened: ManualTransport[] = [];
const openTransport = (): ManualTransport => {
  const transport = manualTransport();
  opened.push(transport);
  return transport;
};

afterEach(() => {
  for (const transport of opened.splice(0)) transport.peerCloses();
});

const transcript = (file: string): Transcript => {
  const found = transcripts.get(file);
  if (found === undefined) throw new Error(`no transcript ${file}`);
  return found;
};

/** The peer's chunks of a transcript, each as it crossed the socket. */
const peerChunks = (file: string): Uint8Array[] =>
  transcript(file)
    .chunks.filter((chunk) => chunk.dir === 'peer->us')
    .map((chunk) => Uint8Array.from(Buffer.from(chunk.hex, 'hex')));

/** What the recorder sent in a transcript, concatenated. */
const recorderBytes = (file: string): Uint8Array =>
  Uint8Array.from(
    Buffer.concat(
      transcript(file)
        .chunks.filter((chunk) => chunk.dir === 'us->peer')
        .map((chunk) => Buffer.from(chunk.hex, 'hex')),
    ),
  );

/** `IAC verb option` for each pair, concatenated. */
const negotiations = (...pairs: readonly (readonly [number, number])[]): Uint8Array =>
  Uint8Array.from(pairs.flatMap(([verb, option]) => [IAC, verb, option]));

/** Bytes as a readable list of Telnet items (negotiations named), for assertions that read like the wire. */
const items = (bytes: Uint8Array | readonly number[]): string[] => scan(Uint8Array.from(bytes)).map(describeItem);

/** How a negotiation request ended: `'pending'` while it has not, `'agreed'`, or the `_tag` of its error. */
type Outcome = string;

/** Subscribes to a negotiation request and records how it ends (the error's `_tag` when it fails). */
const track = (request: ReturnType<TelnetConnection['do']>): { readonly outcome: () => Outcome } => {
  let outcome: Outcome = 'pending';
  request.subscribe({
    next: () => {
      outcome = 'agreed';
    },
    error: (error: unknown) => {
      outcome = error instanceof Error && '_tag' in error ? String(error._tag) : 'unknown error';
    },
  });
  return { outcome: () => outcome };
};

/** Every value and the error of an Observable subscribed now. */
const collect = <T>(subscribe: (sink: { next: (value: T) => void; error: (error: unknown) => void }) => void) => {
  const values: T[] = [];
  let failure: unknown;
  subscribe({
    next: (value) => values.push(value),
    error: (error) => {
      failure = error;
    },
  });
  return { values, error: () => failure };
};

const msspTable: MsspTable = { [MsspVariable.NAME]: 'rxtelnet replay', [MsspVariable.PLAYERS]: '0' };

/** The requests the recorder-server opened with, in its order (see spec/fixtures/README.md). */
const mudOpening = [
  ['do', TelnetOption.TTYPE],
  ['do', TelnetOption.NAWS],
  ['will', TelnetOption.ECHO],
  ['will', TelnetOption.SGA],
  ['will', TelnetOption.EOR],
  ['will', TelnetOption.GMCP],
  ['will', TelnetOption.MCCP2],
  ['will', TelnetOption.MSSP],
] as const;

type OpeningOption = (typeof mudOpening)[number][1];

/**
 * An rxtelnet MUD server on a scripted transport, set up like the recorder the clients met: it sends the same
 * opening, collects TTYPE with `requestTerminalTypes`, reads NAWS with `windowSizes`, serves MSSP, splits lines.
 */
const mudServer = (ttypeOptions: { readonly maxAnswers?: number } = {}) => {
  const transport = openTransport();
  const connection = createConnection(transport, {
    policy: mudServerPolicy,
    negotiationTimeout: 60_000,
    compression: portableCompression,
  });
  const events: TelnetEvent[] = [];
  connection.events$.subscribe((event) => events.push(event));
  const report = collect<TtypeReport>((sink) =>
    requestTerminalTypes(connection, { timeout: 60_000, ...ttypeOptions }).subscribe(sink),
  );
  const sizes = collect<E.Either<unknown, WindowSize>>((sink) => windowSizes(connection).subscribe(sink));
  const mssp = collect<MsspTable>((sink) => serveMssp(connection, () => msspTable).subscribe(sink));
  const text = collect<TextLine>((sink) => connection.events$.pipe(lines()).subscribe(sink));
  const requests = new Map<OpeningOption, { readonly outcome: () => Outcome }>(
    mudOpening.map(([verb, option]) => [
      option,
      track(verb === 'do' ? connection.do(option) : connection.will(option)),
    ]),
  );
  const opening = transport.wire();
  const outcomes = (): Record<string, Outcome> =>
    Object.fromEntries([...requests].map(([option, request]) => [optionKey(option), request.outcome()]));
  /** What the server sent, with its MCCP2 stream (once a client said DO MCCP2) inflated in place. */
  const wire = (): number[] => plainWire(transport.wire());
  return { transport, connection, events, report, sizes, mssp, text, opening, outcomes, wire };
};

const mccp2Start = [IAC, SB, TelnetOption.MCCP2, IAC, SE];

/** `wire` with what follows `IAC SB MCCP2 IAC SE` inflated (node:zlib, the reference) and the marker dropped. */
const plainWire = (wire: readonly number[]): number[] => {
  const at = wire.findIndex((_, index) => mccp2Start.every((byte, offset) => wire[index + offset] === byte));
  if (at < 0) return [...wire];
  const compressed = Uint8Array.from(wire.slice(at + mccp2Start.length));
  return [...wire.slice(0, at), ...inflateSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH })];
};

const optionKey = (option: number): string =>
  Object.entries(TelnetOption).find(([, code]) => code === option)?.[0] ?? String(option);

/** Feeds every peer chunk of `file`, in order, into `transport`. */
const replay = (transport: ManualTransport, file: string): void => {
  for (const chunk of peerChunks(file)) transport.receiveChunk(chunk);
};

/** The Data bytes among `events`, concatenated, as latin1 text. */
const dataText = (events: readonly TelnetEvent[]): string =>
  Buffer.concat(events.flatMap((event) => (event._tag === 'Data' ? [event.bytes] : []))).toString('latin1');

/** How many `SB TTYPE SEND` requests are on `wire`. */
const ttypeSends = (wire: readonly number[]): number => items(wire).filter((item) => item === 'SB TTYPE 01""').length;

const sizeOf = (width: number, height: number) => E.right({ width, height });

describe('client transcripts replayed into an rxtelnet MUD server (mudServerPolicy)', () => {
  it('sends the same opening as the recorder the clients met', () => {
    const server = mudServer();
    const recorderOpening = Buffer.from(transcript('tintin-client.json').chunks[0]!.hex, 'hex');
    expect(Buffer.from(server.opening).toString('hex')).toBe(recorderOpening.toString('hex'));
  });

  it('TinTin++: TTYPE names and MTTS 271 flags, NAWS 100x30, its answer to every request, "look"', () => {
    const server = mudServer();
    replay(server.transport, 'tintin-client.json');

    expect(server.report.error()).toBeUndefined();
    expect(server.report.values).toHaveLength(1);
    const report = server.report.values[0]!;
    expect(report.names).toEqual(['TINTIN++', 'xterm-256color', 'MTTS 271']);
    expect(report.clientName).toBe('TINTIN++');
    expect(report.terminalType).toBe('xterm-256color');
    expect(report.mtts).toEqual(
      mttsFromBits(MttsBit.ansi | MttsBit.vt100 | MttsBit.utf8 | MttsBit.colors256 | MttsBit.truecolor),
    );
    expect(report.mtts).toMatchObject({
      ansi: true,
      vt100: true,
      utf8: true,
      colors256: true,
      truecolor: true,
      mouseTracking: false,
      screenReader: false,
      proxy: false,
    });
    // Three new names, then the repeat: four SENDs, no fifth.
    expect(ttypeSends(server.wire())).toBe(4);

    expect(server.sizes.values).toEqual([sizeOf(100, 30)]);
    // MSSP was never answered: the request is still waiting, and no table went out.
    expect(server.outcomes()).toEqual({
      TTYPE: 'agreed',
      NAWS: 'agreed',
      ECHO: 'agreed',
      SGA: 'agreed',
      EOR: 'agreed',
      GMCP: 'OptionRefusedError',
      MCCP2: 'agreed',
      MSSP: 'pending',
    });
    expect(server.mssp.values).toEqual([]);
    expect(server.text.values).toEqual([{ _tag: 'Line', text: 'look' }]);
    expect(server.events.filter((event) => event._tag === 'Warning')).toEqual([]);

    server.transport.peerCloses();
    expect(server.outcomes().MSSP).toBe('ConnectionClosedError');
  });

  it('TinyFugue 5: four names without MTTS, NAWS 99x26, DONT SGA, DONT MSSP, "look"', () => {
    // tf5 answered four SENDs with four different names; the replay ends before a fifth answer could repeat one.
    const server = mudServer({ maxAnswers: 4 });
    replay(server.transport, 'tf5-client.json');

    expect(server.report.values).toHaveLength(1);
    const report = server.report.values[0]!;
    expect(report.names).toEqual(['TINYFUGUE', 'ANSI-ATTR', 'ANSI', 'UNKNOWN']);
    expect(report.clientName).toBe('TINYFUGUE');
    expect(report.terminalType).toBe('ANSI-ATTR');
    expect(report.mtts).toBeUndefined();

    expect(server.sizes.values).toEqual([sizeOf(99, 26)]);
    expect(server.outcomes()).toEqual({
      TTYPE: 'agreed',
      NAWS: 'agreed',
      ECHO: 'agreed',
      SGA: 'OptionRefusedError',
      EOR: 'agreed',
      GMCP: 'OptionRefusedError',
      MCCP2: 'agreed',
      MSSP: 'OptionRefusedError',
    });
    expect(server.connection.isEnabled('local', TelnetOption.SGA)).toBe(false);
    expect(server.mssp.values).toEqual([]);
    expect(server.text.values).toEqual([{ _tag: 'Line', text: 'look' }]);
    expect(server.events.filter((event) => event._tag === 'Warning')).toEqual([]);
  });

  it('TinyFugue 5 without a cap on answers: the server keeps asking, since no name repeated yet', () => {
    const server = mudServer();
    replay(server.transport, 'tf5-client.json');
    expect(server.report.values).toEqual([]);
    expect(ttypeSends(server.wire())).toBe(5);
  });

  it('inetutils telnet: XTERM-256COLOR (no cycling), NAWS 100x30, refusals, CR NUL Enter decoded as CR', () => {
    const server = mudServer();
    replay(server.transport, 'inetutils-telnet-client.json');

    expect(server.report.values).toHaveLength(1);
    expect(server.report.values[0]).toEqual({
      names: ['XTERM-256COLOR'],
      clientName: 'XTERM-256COLOR',
      terminalType: 'XTERM-256COLOR',
      mtts: undefined,
    });
    expect(ttypeSends(server.wire())).toBe(2);
    expect(server.sizes.values).toEqual([sizeOf(100, 30)]);
    expect(server.outcomes()).toEqual({
      TTYPE: 'agreed',
      NAWS: 'agreed',
      ECHO: 'agreed',
      SGA: 'agreed',
      EOR: 'OptionRefusedError',
      GMCP: 'OptionRefusedError',
      MCCP2: 'OptionRefusedError',
      MSSP: 'OptionRefusedError',
    });
    // RFC 854: CR NUL is a bare carriage return; the NVT decoding turns it into CR.
    expect(dataText(server.events)).toBe('look\r');
  });

  // The NVT decoding turns CR NUL into a bare CR: lines() must end the line there, not wait for an LF.
  it('inetutils telnet: lines() ends the line at its CR NUL Enter', () => {
    const server = mudServer();
    replay(server.transport, 'inetutils-telnet-client.json');
    expect(server.text.values).toEqual([{ _tag: 'Line', text: 'look' }]);
  });

  it('libtelnet telnet-client: SB TTYPE IS split across two reads decoded whole; DO MSSP gets the table', () => {
    const server = mudServer();
    const chunks = peerChunks('libtelnet-telnet-client.json');
    expect(Buffer.from(chunks[2]!).toString('hex')).toBe('fffa1800');
    replay(server.transport, 'libtelnet-telnet-client.json');

    const ttypeAnswers = server.events.filter(
      (event) => event._tag === 'Subnegotiation' && event.option === TelnetOption.TTYPE,
    );
    expect(ttypeAnswers).toHaveLength(4);
    for (const answer of ttypeAnswers) {
      expect(answer._tag === 'Subnegotiation' && Buffer.from(answer.payload).toString('latin1')).toBe(
        '\0xterm-256color',
      );
    }
    expect(server.report.values).toEqual([
      { names: ['xterm-256color'], clientName: 'xterm-256color', terminalType: 'xterm-256color', mtts: undefined },
    ]);
    expect(server.sizes.values).toEqual([]);
    expect(server.outcomes()).toEqual({
      TTYPE: 'agreed',
      NAWS: 'OptionRefusedError',
      ECHO: 'agreed',
      SGA: 'OptionRefusedError',
      EOR: 'OptionRefusedError',
      GMCP: 'OptionRefusedError',
      MCCP2: 'agreed',
      MSSP: 'agreed',
    });
    expect(server.mssp.values).toEqual([msspTable]);
    expect(items(server.wire())).toContain('SB MSSP 01"NAME\\u0002rxtelnet replay\\u0001PLAYERS\\u00020"');
    expect(dataText(server.events)).toBe('look\n');
    expect(server.text.values).toEqual([{ _tag: 'Line', text: 'look' }]);
    expect(server.events.filter((event) => event._tag === 'Warning')).toEqual([]);
  });

  it('answers nothing to the clients beyond the opening and the TTYPE/MSSP subnegotiations', () => {
    for (const file of [
      'tintin-client.json',
      'tf5-client.json',
      'inetutils-telnet-client.json',
      'libtelnet-telnet-client.json',
    ]) {
      const server = mudServer();
      replay(server.transport, file);
      const after = items(server.wire().slice(server.opening.length));
      expect(
        after.filter((item) => !item.startsWith('SB TTYPE') && !item.startsWith('SB MSSP')),
        file,
      ).toEqual([]);
    }
  });
});

/** An rxtelnet client on a scripted transport; `answers` holds what it wrote after each peer chunk. */
const clientReplay = (file: string, options: ConnectionOptions = {}) => {
  const transport = openTransport();
  const connection = createConnection(transport, options);
  const events: TelnetEvent[] = [];
  connection.events$.subscribe((event) => events.push(event));
  const answers = peerChunks(file).map((chunk) => {
    const before = transport.wire().length;
    transport.receiveChunk(chunk);
    return transport.wire().slice(before);
  });
  return { transport, connection, events, answers };
};

/** Every option mentioned in `states` is off on both sides. */
const allOff = (connection: TelnetConnection): void => {
  let snapshot: ReadonlyMap<number, { local: boolean; remote: boolean }> = new Map();
  connection.options$.subscribe((states) => {
    snapshot = states;
  });
  for (const [option, state] of snapshot) expect(state, optionKey(option)).toEqual({ local: false, remote: false });
};

const telnetdOpening = negotiations(
  [DONT, TelnetOption.AUTHENTICATION],
  [DONT, TelnetOption.ENCRYPT],
  [WONT, TelnetOption.TTYPE],
  [WONT, TelnetOption.TSPEED],
  [WONT, TelnetOption.XDISPLOC],
  [WONT, TelnetOption.NEW_ENVIRON],
  [WONT, TelnetOption.OLD_ENVIRON],
);

describe('server transcripts replayed into an rxtelnet client', () => {
  it('inetutils telnetd: the default policy refuses each request once, with exactly the refusing bytes', () => {
    const client = clientReplay('inetutils-telnetd-refusing.json');
    expect(client.answers.map((answer) => items(answer))).toEqual([
      items(telnetdOpening),
      items(
        negotiations(
          [DONT, TelnetOption.SGA],
          [WONT, TelnetOption.ECHO],
          [WONT, TelnetOption.LINEMODE],
          [WONT, TelnetOption.NAWS],
          [DONT, TelnetOption.STATUS],
          [WONT, TelnetOption.LFLOW],
        ),
      ),
      items(negotiations([DONT, TelnetOption.ECHO], [WONT, TelnetOption.TM], [WONT, TelnetOption.BINARY])),
      [],
      // telnetd offers SGA and ECHO again although both were refused: a new request, refused again (RFC 1143).
      items(negotiations([DONT, TelnetOption.SGA], [DONT, TelnetOption.ECHO])),
    ]);
    // Up to that last repeat, byte for byte what the raw refusing recorder sent.
    const ours = Buffer.from(client.transport.wire());
    const recorder = Buffer.from(recorderBytes('inetutils-telnetd-refusing.json'));
    expect(ours.subarray(0, recorder.length).toString('hex')).toBe(recorder.toString('hex'));
    expect(ours.length).toBe(recorder.length + 6);

    allOff(client.connection);
    expect(dataText(client.events)).toBe('login ok\n');
    expect(client.events.filter((event) => event._tag === 'Warning')).toEqual([]);
  });

  it('inetutils telnetd, passive capture: the seven opening requests get seven refusals', () => {
    const client = clientReplay('inetutils-telnetd-passive.json');
    expect(Buffer.from(client.transport.wire()).toString('hex')).toBe(Buffer.from(telnetdOpening).toString('hex'));
    allOff(client.connection);
  });

  it('Twisted: the default policy refuses DO NAWS, DO TTYPE, WILL SGA, WILL ECHO like the refusing recorder', () => {
    for (const file of ['twisted-server-passive.json', 'twisted-server-refusing.json']) {
      const client = clientReplay(file);
      expect(Buffer.from(client.transport.wire()).toString('hex'), file).toBe(
        Buffer.from(recorderBytes('twisted-server-refusing.json')).toString('hex'),
      );
      allOff(client.connection);
    }
  });

  it('Twisted with mudClientPolicy and standardMudClient: accepts all four and sends NAWS only after WILL NAWS', () => {
    const transport = openTransport();
    const connection = createConnection(transport, { policy: mudClientPolicy });
    const sent = collect<MudClientEvent>((sink) =>
      standardMudClient(connection, {
        terminalTypes: ['RXTELNET', 'XTERM'],
        windowSizes: of({ width: 80, height: 24 }),
      }).subscribe(sink),
    );
    for (const chunk of peerChunks('twisted-server-passive.json')) transport.receiveChunk(chunk);
    expect(Buffer.from(transport.wire()).toString('hex')).toBe(
      Buffer.from([
        ...negotiations([WILL, TelnetOption.NAWS]),
        ...[IAC, SB, TelnetOption.NAWS, 0, 80, 0, 24, IAC, SE],
        ...negotiations([WILL, TelnetOption.TTYPE], [DO, TelnetOption.SGA], [DO, TelnetOption.ECHO]),
      ]).toString('hex'),
    );
    expect(sent.values).toEqual([{ _tag: 'WindowSizeSent', size: { width: 80, height: 24 } }]);
    expect(connection.isEnabled('local', TelnetOption.NAWS) && connection.isEnabled('local', TelnetOption.TTYPE)).toBe(
      true,
    );
    expect(connection.isEnabled('remote', TelnetOption.SGA) && connection.isEnabled('remote', TelnetOption.ECHO)).toBe(
      true,
    );
  });

  it('telnet-chatd: mudClientPolicy accepts WILL MCCP2 and WILL ECHO; the prompt text comes through', () => {
    const client = clientReplay('libtelnet-chatd-passive.json', {
      policy: mudClientPolicy,
      compression: portableCompression,
    });
    expect(Buffer.from(client.transport.wire()).toString('hex')).toBe(
      Buffer.from(negotiations([DO, TelnetOption.MCCP2], [DO, TelnetOption.ECHO])).toString('hex'),
    );
    expect(client.connection.isEnabled('remote', TelnetOption.MCCP2)).toBe(true);
    expect(client.connection.isEnabled('remote', TelnetOption.ECHO)).toBe(true);
    expect(dataText(client.events)).toBe('Enter name: ');
  });

  it('telnet-chatd: the default policy refuses both, like the refusing recorder', () => {
    const client = clientReplay('libtelnet-chatd-refusing.json');
    expect(Buffer.from(client.transport.wire()).toString('hex')).toBe(
      Buffer.from(recorderBytes('libtelnet-chatd-refusing.json')).toString('hex'),
    );
    allOff(client.connection);
  });
});
