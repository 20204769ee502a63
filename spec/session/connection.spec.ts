import { firstValueFrom, lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import {
  AlreadyDisabledError,
  AlreadyEnabledError,
  AlreadyNegotiatingError,
  ConnectionClosedError,
  NegotiationTimeoutError,
  OptionRefusedError,
} from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { createConnection } from '../../src/session/connection.js';
import type { OptionSideState, TelnetConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { manualTransport } from '../../src/testing/index.js';
import { watch } from '../helpers/watch.js';

const { IAC, WILL, WONT, DO, DONT, SB, SE, GA } = Command;

const record = (connection: TelnetConnection): TelnetEvent[] => {
  const events: TelnetEvent[] = [];
  connection.events$.subscribe((event) => events.push(event));
  return events;
};

describe('createConnection: negotiation requests', () => {
  it('sends nothing before subscribe (cold), then DO on subscribe', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const request = connection.do(TelnetOption.NAWS);
    expect(transport.wire()).toEqual([]);
    watch(request);
    expect(transport.wire()).toEqual([IAC, DO, TelnetOption.NAWS]);
  });

  it.each([
    ['do', WILL, DO, 'remote'],
    ['will', DO, WILL, 'local'],
  ] as const)('%s: emits the new state once and completes when the peer agrees', (method, answer, sent, side) => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const { seen } = watch<OptionSideState>(connection[method](TelnetOption.ECHO));
    expect(transport.wire()).toEqual([IAC, sent, TelnetOption.ECHO]);
    transport.receive(IAC, answer, TelnetOption.ECHO);
    expect(seen.values).toEqual([{ option: TelnetOption.ECHO, side, enabled: true }]);
    expect(seen.completed).toBe(true);
    expect(connection.isEnabled(side, TelnetOption.ECHO)).toBe(true);
    // The agreement itself is never answered.
    expect(transport.wire()).toEqual([IAC, sent, TelnetOption.ECHO]);
  });

  it.each([
    ['do', WONT, 'remote'],
    ['will', DONT, 'local'],
  ] as const)('%s: errors with OptionRefusedError when the peer refuses', (method, answer, side) => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const { seen } = watch(connection[method](TelnetOption.SGA));
    transport.receive(IAC, answer, TelnetOption.SGA);
    expect(seen.error).toBeInstanceOf(OptionRefusedError);
    expect(seen.error).toMatchObject({ _tag: 'OptionRefusedError', option: TelnetOption.SGA, side });
    expect(connection.isEnabled(side, TelnetOption.SGA)).toBe(false);
  });

  it.each([
    ['dont', 'do', WILL, DONT, WONT, 'remote'],
    ['wont', 'will', DO, WONT, DONT, 'local'],
  ] as const)('%s: completes when the peer acknowledges', (method, enableWith, agree, sent, ack, side) => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    watch(connection[enableWith](TelnetOption.BINARY));
    transport.receive(IAC, agree, TelnetOption.BINARY);
    const { seen } = watch<OptionSideState>(connection[method](TelnetOption.BINARY));
    expect(transport.wire().slice(-3)).toEqual([IAC, sent, TelnetOption.BINARY]);
    expect(connection.isEnabled(side, TelnetOption.BINARY)).toBe(true); // WANTNO: on until the peer confirms
    transport.receive(IAC, ack, TelnetOption.BINARY);
    expect(seen.values).toEqual([{ option: TelnetOption.BINARY, side, enabled: false }]);
    expect(seen.completed).toBe(true);
    expect(connection.isEnabled(side, TelnetOption.BINARY)).toBe(false);
  });

  it('rejects at once, sending nothing: AlreadyEnabled, AlreadyDisabled, AlreadyNegotiating (against a queued request)', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    expect(watch(connection.dont(TelnetOption.ECHO)).seen.error).toBeInstanceOf(AlreadyDisabledError);
    expect(watch(connection.wont(TelnetOption.ECHO)).seen.error).toBeInstanceOf(AlreadyDisabledError);
    watch(connection.do(TelnetOption.ECHO));
    watch(connection.dont(TelnetOption.ECHO));
    // DO is in flight and DONT queued behind it: a DO now would contradict the queued DONT.
    expect(watch(connection.do(TelnetOption.ECHO)).seen.error).toBeInstanceOf(AlreadyNegotiatingError);
    transport.receive(IAC, WILL, TelnetOption.ECHO);
    transport.receive(IAC, WONT, TelnetOption.ECHO);
    expect(watch(connection.dont(TelnetOption.ECHO)).seen.error).toBeInstanceOf(AlreadyDisabledError);
    watch(connection.do(TelnetOption.ECHO));
    transport.receive(IAC, WILL, TelnetOption.ECHO);
    expect(watch(connection.do(TelnetOption.ECHO)).seen.error).toBeInstanceOf(AlreadyEnabledError);
    expect(transport.wire()).toEqual([
      IAC,
      DO,
      TelnetOption.ECHO,
      IAC,
      DONT,
      TelnetOption.ECHO,
      IAC,
      DO,
      TelnetOption.ECHO,
    ]);
  });

  it('queues a request opposite to one in flight (RFC 1143 section 5) and settles both', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const enable = watch<OptionSideState>(connection.do(TelnetOption.ECHO)).seen;
    const disable = watch<OptionSideState>(connection.dont(TelnetOption.ECHO)).seen;
    expect(transport.wire()).toEqual([IAC, DO, TelnetOption.ECHO]);
    transport.receive(IAC, WILL, TelnetOption.ECHO);
    expect(enable.completed).toBe(true);
    expect(transport.wire()).toEqual([IAC, DO, TelnetOption.ECHO, IAC, DONT, TelnetOption.ECHO]);
    expect(disable.completed).toBe(false);
    transport.receive(IAC, WONT, TelnetOption.ECHO);
    expect(disable.values).toEqual([{ option: TelnetOption.ECHO, side: 'remote', enabled: false }]);
    expect(disable.completed).toBe(true);
  });

  it('keeps tracking a request after unsubscribe: the late answer still updates the state', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const { seen, subscription } = watch(connection.do(TelnetOption.NAWS));
    subscription.unsubscribe();
    transport.receive(IAC, WILL, TelnetOption.NAWS);
    expect(seen.values).toEqual([]);
    expect(connection.isEnabled('remote', TelnetOption.NAWS)).toBe(true);
    expect(transport.wire()).toEqual([IAC, DO, TelnetOption.NAWS]);
  });

  it('times out with NegotiationTimeoutError in virtual time; an answer in time settles it instead', () => {
    new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    }).run(({ cold, expectObservable, flush }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { negotiationTimeout: 3000 });
      expectObservable(connection.do(TelnetOption.TTYPE)).toBe(
        '3000ms #',
        undefined,
        new NegotiationTimeoutError(TelnetOption.TTYPE, 'remote', 3000),
      );
      cold('1000ms a').subscribe(() => {
        transport.receive(IAC, WILL, TelnetOption.ECHO);
      });
      expectObservable(connection.do(TelnetOption.ECHO)).toBe('1000ms (a|)', {
        a: { option: TelnetOption.ECHO, side: 'remote', enabled: true },
      });
      flush();
      // The answer that comes too late still counts.
      transport.receive(IAC, WILL, TelnetOption.TTYPE);
      expect(connection.isEnabled('remote', TelnetOption.TTYPE)).toBe(true);
    });
  });

  it('errors every pending request with ConnectionClosedError when the peer vanishes, and completes all streams', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const pending = [watch(connection.do(TelnetOption.NAWS)).seen, watch(connection.will(TelnetOption.TTYPE)).seen];
    const events = lastValueFrom(connection.events$.pipe(toArray()));
    const options = lastValueFrom(connection.options$.pipe(toArray()));
    transport.receive(0x68, 0x69);
    transport.peerCloses();
    for (const seen of pending) expect(seen.error).toBeInstanceOf(ConnectionClosedError);
    expect(await events).toEqual([{ _tag: 'Data', bytes: Uint8Array.of(0x68, 0x69) }]);
    expect((await options).length).toBeGreaterThan(0);
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'ClosedByPeer' });
    expect(watch(connection.do(TelnetOption.ECHO)).seen.error).toBeInstanceOf(ConnectionClosedError);
    expect(connection.write('late')).toBe(false);
  });

  it('reports a transport failure as the close reason and still settles every request', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const { seen } = watch(connection.will(TelnetOption.ECHO));
    const failure = new Error('ECONNRESET');
    transport.fail(failure);
    expect(seen.error).toBeInstanceOf(ConnectionClosedError);
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'TransportFailed', error: failure });
  });
});

describe('createConnection: the peer asks', () => {
  it('accepts by policy, refuses everything else, and never answers a confirmation', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, {
      policy: policyOf({ local: [TelnetOption.NAWS], remote: [TelnetOption.ECHO] }),
    });
    transport.receive(
      IAC,
      DO,
      TelnetOption.NAWS,
      IAC,
      WILL,
      TelnetOption.ECHO,
      IAC,
      DO,
      TelnetOption.LINEMODE,
      IAC,
      WILL,
      TelnetOption.STATUS,
    );
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      TelnetOption.NAWS,
      IAC,
      DO,
      TelnetOption.ECHO,
      IAC,
      WONT,
      TelnetOption.LINEMODE,
      IAC,
      DONT,
      TelnetOption.STATUS,
    ]);
    transport.receive(IAC, DO, TelnetOption.NAWS, IAC, WILL, TelnetOption.ECHO, IAC, WONT, TelnetOption.STATUS);
    expect(transport.wire()).toHaveLength(12);
    expect(connection.isEnabled('local', TelnetOption.NAWS) && connection.isEnabled('remote', TelnetOption.ECHO)).toBe(
      true,
    );
  });

  it('applies a policy changed at run time', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    transport.receive(IAC, DO, TelnetOption.TTYPE);
    connection.setPolicy(policyOf({ local: [TelnetOption.TTYPE] }));
    transport.receive(IAC, DO, TelnetOption.TTYPE);
    expect(transport.wire()).toEqual([IAC, WONT, TelnetOption.TTYPE, IAC, WILL, TelnetOption.TTYPE]);
  });

  it('answers every DO TM (a timing mark is not a state) and lets do(TM) be asked again', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.TM] }) });
    const states: unknown[] = [];
    connection.option$(TelnetOption.TM).subscribe((state) => states.push(state));
    transport.receive(IAC, DO, TelnetOption.TM, IAC, DO, TelnetOption.TM);
    expect(transport.wire()).toEqual([IAC, WILL, TelnetOption.TM, IAC, WILL, TelnetOption.TM]);
    transport.clearWritten();
    for (let round = 0; round < 2; round++) {
      const { seen } = watch(connection.do(TelnetOption.TM));
      transport.receive(IAC, WILL, TelnetOption.TM);
      expect(seen.completed).toBe(true);
    }
    expect(transport.wire()).toEqual([IAC, DO, TelnetOption.TM, IAC, DO, TelnetOption.TM]);
    expect(states).toEqual([{ local: false, remote: false }]);
  });

  it('replays option states and emits each change once', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.ECHO] }) });
    const echo: unknown[] = [];
    connection.option$(TelnetOption.ECHO).subscribe((state) => echo.push(state));
    transport.receive(IAC, WILL, TelnetOption.ECHO, IAC, WILL, TelnetOption.ECHO, IAC, WONT, TelnetOption.ECHO);
    expect(echo).toEqual([
      { local: false, remote: false },
      { local: false, remote: true },
      { local: false, remote: false },
    ]);
    const late: unknown[] = [];
    connection.options$.subscribe((states) => late.push(states.get(TelnetOption.ECHO)));
    expect(late).toEqual([{ local: false, remote: false }]);
  });

  it('survives a negotiation storm: bounded answers, a warning, and the connection stays usable', () => {
    const transport = manualTransport();
    // A virtual clock that stands still: the whole storm falls in one window of the guard.
    const scheduler = new VirtualTimeScheduler();
    const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.ECHO] }), scheduler });
    const events = record(connection);
    const storm = new Uint8Array(1_000_000 * 6);
    for (let i = 0; i < storm.length; i += 6) storm.set([IAC, DO, TelnetOption.ECHO, IAC, DONT, TelnetOption.ECHO], i);
    for (let i = 0; i < storm.length; i += 60_000) transport.receiveChunk(storm.subarray(i, i + 60_000));
    expect(transport.written.length).toBeLessThan(100);
    expect(events.flatMap((event) => (event._tag === 'Warning' ? [event.code] : []))).toEqual(['NegotiationStorm']);
    transport.receive(0x6f, 0x6b);
    expect(events.at(-1)).toEqual({ _tag: 'Data', bytes: Uint8Array.of(0x6f, 0x6b) });
    const { seen } = watch(connection.do(TelnetOption.SGA));
    transport.receive(IAC, WILL, TelnetOption.SGA);
    expect(seen.completed).toBe(true);
    // Once a quiet window has passed, the option is answered again.
    scheduler.schedule(() => undefined, 1000);
    scheduler.flush();
    const before = transport.written.length;
    transport.receive(IAC, DO, TelnetOption.ECHO);
    expect(transport.written.length).toBe(before + 1);
  });
});

describe('createConnection: writing', () => {
  it('requestNegotiation frames the payload and doubles IAC in it', () => {
    const transport = manualTransport();
    createConnection(transport).requestNegotiation(TelnetOption.NAWS, Uint8Array.of(0, 255, 0, 24));
    expect(transport.wire()).toEqual([IAC, SB, TelnetOption.NAWS, 0, IAC, IAC, 0, 24, IAC, SE]);
  });

  it('write doubles IAC and applies NVT newlines, unless BINARY is on our side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.BINARY] }) });
    connection.write(Uint8Array.of(0x61, 255, 0x0a, 0x0d));
    expect(transport.wire()).toEqual([0x61, IAC, IAC, 0x0d, 0x0a, 0x0d, 0]);
    transport.clearWritten();
    transport.receive(IAC, DO, TelnetOption.BINARY);
    expect(transport.wire()).toEqual([IAC, WILL, TelnetOption.BINARY]);
    transport.clearWritten();
    connection.write(Uint8Array.of(0x61, 255, 0x0a, 0x0d));
    expect(transport.wire()).toEqual([0x61, IAC, IAC, 0x0a, 0x0d]);
  });

  it('writeSequence escapes every item (Twisted forgets to)', () => {
    const transport = manualTransport();
    createConnection(transport, { newline: 'raw' }).writeSequence([Uint8Array.of(255), 'é', Uint8Array.of(1, 255)]);
    expect(transport.wire()).toEqual([IAC, IAC, 0xc3, 0xa9, 1, IAC, IAC]);
  });

  it('sendCommand sends IAC command', () => {
    const transport = manualTransport();
    createConnection(transport).sendCommand(GA);
    expect(transport.wire()).toEqual([IAC, GA]);
  });

  it('loseConnection closes once, reports ClosedByUs, and ignores later writes', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    connection.loseConnection();
    connection.loseConnection();
    expect(transport.closeCalls()).toBe(1);
    expect(await firstValueFrom(connection.closed$)).toEqual({ _tag: 'ClosedByUs' });
    expect(connection.write('x')).toBe(false);
  });

  it('gives the transport addresses', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    expect(connection.getHost()).toEqual(transport.host);
    expect(connection.getPeer()).toEqual(transport.peer);
  });
});

describe('createConnection: incoming events', () => {
  it('keeps wire order and decodes NVT newlines unless BINARY is on the peer side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.BINARY] }) });
    const events = record(connection);
    transport.receive(0x61, 0x0d, 0x0a, IAC, GA, 0x62);
    transport.receive(IAC, WILL, TelnetOption.BINARY, 0x0d, 0x0a);
    expect(events).toEqual([
      { _tag: 'Data', bytes: Uint8Array.of(0x61, 0x0a) },
      { _tag: 'Command', command: GA },
      { _tag: 'Data', bytes: Uint8Array.of(0x62) },
      { _tag: 'Negotiation', verb: 'WILL', option: TelnetOption.BINARY },
      { _tag: 'Data', bytes: Uint8Array.of(0x0d, 0x0a) },
    ]);
  });

  it('gives data$ one array per chunk, and a late commands$ subscriber the commands from then on', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const data: string[] = [];
    const commands: number[] = [];
    connection.data$.subscribe((bytes) => data.push(new TextDecoder().decode(bytes)));
    transport.receive(...new TextEncoder().encode('a\r\nb\r\n'), IAC, GA);
    connection.commands$.subscribe((event) => commands.push(event.command));
    transport.receive(0x63, IAC, GA);
    expect(data).toEqual(['a\nb\n', 'c']);
    expect(commands).toEqual([GA]);
  });

  it('filters subnegotiations by option', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const naws: unknown[] = [];
    connection.subnegotiations$(TelnetOption.NAWS).subscribe((event) => naws.push(event.payload));
    transport.receive(IAC, SB, TelnetOption.TTYPE, 0, 0x61, IAC, SE, IAC, SB, TelnetOption.NAWS, 0, 80, 0, 24, IAC, SE);
    expect(naws).toEqual([Uint8Array.of(0, 80, 0, 24)]);
  });
});

describe('createConnection: two connections back to back', () => {
  it('negotiate with each other and exchange data with 0xFF', async () => {
    const [a, b] = createMemoryTransports();
    const client = createConnection(a, { policy: policyOf({ local: [TelnetOption.NAWS] }) });
    const server = createConnection(b, { policy: policyOf({ remote: [TelnetOption.TTYPE] }) });
    const received = lastValueFrom(server.data$.pipe(toArray()));
    await expect(firstValueFrom(server.do(TelnetOption.NAWS))).resolves.toEqual({
      option: TelnetOption.NAWS,
      side: 'remote',
      enabled: true,
    });
    await expect(firstValueFrom(server.will(TelnetOption.ECHO))).rejects.toBeInstanceOf(OptionRefusedError);
    await expect(firstValueFrom(client.will(TelnetOption.TTYPE))).resolves.toMatchObject({ enabled: true });
    expect(client.isEnabled('local', TelnetOption.NAWS)).toBe(true);
    client.write(Uint8Array.of(1, 255, 2));
    client.loseConnection();
    const bytes = (await received).flatMap((chunk) => [...chunk]);
    expect(bytes).toEqual([1, 255, 2]);
  });
});
