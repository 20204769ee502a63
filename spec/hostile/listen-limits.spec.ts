/**
 * Idle and greedy peers on loopback: connection caps (in total and per address, refused at once with an optional
 * message and a `Refused` event) and the idle timeout.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { listenTelnet } from '../../src/node/telnet.js';
import type { TelnetServerEvent } from '../../src/node/telnet.js';
import type { CloseReason, TelnetConnection } from '../../src/session/connection.js';
import { listenTcp } from '../../src/transport/node/tcp.js';
import type { ListenEvent } from '../../src/transport/node/listen-server.js';
import type { Transport } from '../../src/transport/types.js';
import { runServer } from '../helpers/listen-events.js';
import type { RunningServer } from '../helpers/listen-events.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const run = <E extends ListenEvent | TelnetServerEvent, A>(
  events: Observable<E>,
  accept: (event: E) => A | undefined,
): Promise<RunningServer<A>> => runServer(events, accept, cleanups);

const transportOf = (event: ListenEvent | TelnetServerEvent): Transport | undefined => {
  if (event._tag !== 'Connected' || !('transport' in event)) return undefined;
  cleanups.push(() => {
    event.transport.close();
  });
  event.transport.input.subscribe({ error: () => undefined });
  return event.transport;
};

/** A raw client socket, optionally from another loopback address; resolves once connected. */
const client = (port: number, localAddress = '127.0.0.1'): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.on('error', () => undefined);
    cleanups.push(() => socket.destroy());
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });

/** What the peer received until the server closed the socket. */
const untilClosed = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    socket.on('data', (bytes: Buffer) => (text += bytes.toString('latin1')));
    socket.once('close', () => {
      resolve(text);
    });
  });

describe('listenTcp connection caps', { timeout: 10_000 }, () => {
  it('maxConnections: refuses the rest at once with the message and a Refused event; a closed one frees its slot', async () => {
    const server = await run(
      listenTcp({ maxConnections: 2, refusalMessage: 'The realm is full, try later.\r\n' }),
      transportOf,
    );
    await client(server.port);
    await client(server.port);
    await server.acceptedCount(2);
    const third = await client(server.port);
    expect(await untilClosed(third)).toBe('The realm is full, try later.\r\n');
    await server.refusedCount(1);
    expect(server.refused[0]).toMatchObject({
      _tag: 'Refused',
      reason: 'MaxConnections',
      peer: { address: '127.0.0.1' },
    });
    expect(server.accepted).toHaveLength(2);

    server.accepted[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client(server.port);
    await server.acceptedCount(3);
    expect(server.refused).toHaveLength(1);
  });

  it('maxConnectionsPerAddress: refuses a second connection from one address, not one from another', async () => {
    const server = await run(listenTcp({ maxConnectionsPerAddress: 1 }), transportOf);
    await client(server.port, '127.0.0.1');
    await server.acceptedCount(1);
    const second = await client(server.port, '127.0.0.1');
    expect(await untilClosed(second)).toBe('');
    await server.refusedCount(1);
    expect(server.refused[0]).toMatchObject({ reason: 'MaxConnectionsPerAddress', peer: { address: '127.0.0.1' } });
    await client(server.port, '127.0.0.2');
    await server.acceptedCount(2);
    expect(server.accepted.map((transport) => transport.peer.address)).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('rejects caps that are not whole numbers above 0 with a RangeError when called', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => listenTcp({ maxConnections: bad })).toThrow(RangeError);
      expect(() => listenTcp({ maxConnectionsPerAddress: bad })).toThrow(RangeError);
    }
    expect(() => listenTcp({ maxConnections: Infinity })).not.toThrow();
  });
});

describe('listenTelnet limits', { timeout: 10_000 }, () => {
  const connectionOf = (event: ListenEvent | TelnetServerEvent): TelnetConnection | undefined => {
    if (event._tag !== 'Connected' || !('connection' in event)) return undefined;
    cleanups.push(() => {
      event.connection.loseConnection();
    });
    return event.connection;
  };

  it('passes the caps on and reports Refused', async () => {
    const server = await run(listenTelnet({ maxConnections: 1, refusalMessage: 'Full.\r\n' }), connectionOf);
    await client(server.port);
    await server.acceptedCount(1);
    expect(await untilClosed(await client(server.port))).toBe('Full.\r\n');
    await server.refusedCount(1);
    expect(server.refused[0]).toMatchObject({ _tag: 'Refused', reason: 'MaxConnections' });
  });

  it('idleTimeout: closes a silent peer with IdleTimeout, keeps one that keeps talking', async () => {
    const server = await run(listenTelnet({ idleTimeout: 150 }), connectionOf);
    const silent = await client(server.port);
    const silentClosed = untilClosed(silent);
    await server.acceptedCount(1);
    const talker = await client(server.port);
    await server.acceptedCount(2);
    const [silentConnection, talkerConnection] = server.accepted;
    if (silentConnection === undefined || talkerConnection === undefined) throw new Error('not accepted');
    let talkerReason: CloseReason | undefined;
    talkerConnection.closed$.subscribe((reason) => {
      talkerReason = reason;
    });
    const talking = setInterval(() => talker.write('x'), 30);
    cleanups.push(() => {
      clearInterval(talking);
    });
    const reason: CloseReason = await firstValueFrom(silentConnection.closed$);
    expect(reason).toEqual({ _tag: 'IdleTimeout', idleTimeout: 150 });
    await silentClosed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(talkerReason).toBeUndefined();
  });
});
