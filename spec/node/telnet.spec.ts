/**
 * connectTelnet and listenTelnet over real sockets on 127.0.0.1: the lifetime model (a connection emitted is the
 * caller's until it closes, the Observable completes right after `closed$`, unsubscribing first cancels), the
 * state a closed connection reports, and the typed failures.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { filter, first, firstValueFrom, lastValueFrom, scan, toArray } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTelnet, listenTelnet } from '../../src/node/telnet.js';
import type { TelnetConnectOptions, TelnetListenOptions, TelnetServerEvent } from '../../src/node/telnet.js';
import { TransportError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { TelnetConnection } from '../../src/session/connection.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const credentials = { cert: fixture('localhost-cert.pem'), key: fixture('localhost-key.pem') };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const own = (connection: TelnetConnection): TelnetConnection => {
  cleanups.push(() => {
    connection.loseConnection();
  });
  return connection;
};

/** A listenTelnet server that offers ECHO; resolves once listening. */
const startServer = async (options: TelnetListenOptions = {}) => {
  const accepted: TelnetConnection[] = [];
  const waiting: ((connection: TelnetConnection) => void)[] = [];
  let listening: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => {
    listening = resolve;
  });
  const subscription: Subscription = listenTelnet({
    policy: policyOf({ local: [TelnetOption.ECHO] }),
    newline: 'raw',
    ...options,
  }).subscribe((event: TelnetServerEvent) => {
    if (event._tag === 'Listening') listening(event.address.port);
    else if (event._tag === 'Connected') {
      own(event.connection);
      const waiter = waiting.shift();
      if (waiter === undefined) accepted.push(event.connection);
      else waiter(event.connection);
    }
  });
  cleanups.push(() => {
    subscription.unsubscribe();
  });
  return {
    port: await port,
    accept: (): Promise<TelnetConnection> => {
      const connection = accepted.shift();
      return connection === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(connection);
    },
    acceptedCount: () => accepted.length,
    stop: () => {
      subscription.unsubscribe();
    },
  };
};

/** A TCP server that accepts and says nothing (a TLS handshake with it never ends); reports each socket's close. */
const silentServer = async () => {
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  let accepted: () => void = () => undefined;
  const firstSocket = new Promise<void>((resolve) => {
    accepted = resolve;
  });
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('close', () => closed.push(socket));
    accepted();
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, sockets, closed, firstSocket };
};

const clientOptions = (port: number, extra: Partial<TelnetConnectOptions> = {}): TelnetConnectOptions => ({
  host: '127.0.0.1',
  port,
  timeout: 5_000,
  policy: policyOf({ remote: [TelnetOption.ECHO] }),
  newline: 'raw',
  ...extra,
});

const text = (connection: TelnetConnection, length: number): Promise<string> =>
  firstValueFrom(
    connection.data$.pipe(
      scan((received, bytes) => received + new TextDecoder().decode(bytes), ''),
      first((received) => received.length >= length),
    ),
  );

/** Subscribes and records, in order, the value, what `closed$` said and the completion. */
const recordLifetime = (connections: Observable<TelnetConnection>) => {
  const order: string[] = [];
  let resolveConnection: (connection: TelnetConnection) => void = () => undefined;
  const connection = new Promise<TelnetConnection>((resolve) => {
    resolveConnection = resolve;
  });
  const completed = new Promise<void>((resolve, reject) => {
    connections.subscribe({
      next: (value) => {
        order.push('next');
        own(value).closed$.subscribe((reason) => order.push(`closed$ ${reason._tag}`));
        resolveConnection(value);
      },
      error: reject,
      complete: () => {
        order.push('complete');
        resolve();
      },
    });
  });
  return { order, connection, completed };
};

const refusedPort = async (): Promise<number> => {
  const server = await startServer();
  server.stop();
  return server.port;
};

describe('connectTelnet: the lifetime of a connection', { timeout: 10_000 }, () => {
  it.each([
    ['TCP', {}, {}],
    ['TLS', { tls: credentials }, { tls: { ca: credentials.cert } }],
  ] as const)(
    'over %s, firstValueFrom gives a live connection that writes and receives',
    async (_name, serverTls, clientTls) => {
      const server = await startServer(serverTls);
      const client = own(await firstValueFrom(connectTelnet(clientOptions(server.port, clientTls))));
      const accepted = await server.accept();

      const atServer = text(accepted, 5);
      expect(client.write('hello')).toBe(true);
      await expect(atServer).resolves.toBe('hello');
      const atClient = text(client, 6);
      expect(accepted.write('world!')).toBe(true);
      await expect(atClient).resolves.toBe('world!');
      await expect(firstValueFrom(client.do(TelnetOption.ECHO))).resolves.toMatchObject({ enabled: true });
    },
  );

  it('holds what arrived before the first reader of a connection taken with firstValueFrom', async () => {
    const server = await startServer();
    const client = own(await firstValueFrom(connectTelnet(clientOptions(server.port))));
    const accepted = await server.accept();
    accepted.write('Welcome!');
    // The server's answer to DO ECHO follows the banner on the wire: once it is in, so is the banner.
    await firstValueFrom(client.do(TelnetOption.ECHO));
    await expect(text(client, 8)).resolves.toBe('Welcome!');
  });

  it('completes right after closed$ emits, when we close', async () => {
    const server = await startServer();
    const { order, connection, completed } = recordLifetime(connectTelnet(clientOptions(server.port)));
    await server.accept();
    (await connection).loseConnection();
    await completed;
    expect(order).toEqual(['next', 'closed$ ClosedByUs', 'complete']);
  });

  it('completes right after closed$ emits, when the peer closes; then every option reads as off', async () => {
    const server = await startServer();
    const { order, connection, completed } = recordLifetime(connectTelnet(clientOptions(server.port)));
    const client = await connection;
    const accepted = await server.accept();
    await firstValueFrom(client.do(TelnetOption.ECHO));
    expect(client.isEnabled('remote', TelnetOption.ECHO)).toBe(true);
    const echoStates = lastValueFrom(client.option$(TelnetOption.ECHO).pipe(toArray()));

    accepted.loseConnection();
    await completed;
    expect(order).toEqual(['next', 'closed$ ClosedByPeer', 'complete']);
    expect(client.isEnabled('remote', TelnetOption.ECHO)).toBe(false);
    expect(client.write('too late')).toBe(false);
    await expect(echoStates).resolves.toEqual([
      { local: false, remote: true },
      { local: false, remote: false },
    ]);
    // A late subscriber gets the final state, then the completion.
    await expect(lastValueFrom(client.option$(TelnetOption.ECHO).pipe(toArray()))).resolves.toEqual([
      { local: false, remote: false },
    ]);
    await expect(lastValueFrom(client.options$.pipe(toArray()))).resolves.toEqual([new Map()]);
    await expect(firstValueFrom(client.closed$)).resolves.toEqual({ _tag: 'ClosedByPeer' });
  });

  it('cancels the attempt when unsubscribed before it connects: the socket is destroyed', async () => {
    const silent = await silentServer();
    const emitted: TelnetConnection[] = [];
    const subscription = connectTelnet(clientOptions(silent.port, { tls: { ca: credentials.cert } })).subscribe(
      (connection) => emitted.push(connection),
    );
    await silent.firstSocket; // TCP is up, the TLS handshake waits for a server that never answers
    subscription.unsubscribe();
    await new Promise<void>((resolve) => silent.sockets[0]!.once('close', resolve));
    expect(silent.closed).toEqual(silent.sockets);
    expect(emitted).toEqual([]);
  });

  it('never connects over TCP when unsubscribed in the same tick', async () => {
    const server = await startServer();
    connectTelnet(clientOptions(server.port))
      .subscribe(() => expect.unreachable('no connection'))
      .unsubscribe();
    // A connection made after this one is the first the server accepts.
    const later = own(await firstValueFrom(connectTelnet(clientOptions(server.port))));
    const accepted = await server.accept();
    expect(accepted.getPeer().port).toBe(later.getHost().port);
    expect(server.acceptedCount()).toBe(0);
  });

  it('errors with a typed TransportError ECONNREFUSED when nothing listens', async () => {
    const port = await refusedPort();
    const error: unknown = await firstValueFrom(connectTelnet(clientOptions(port))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ _tag: 'TransportError', code: 'ECONNREFUSED' });
  });
});

describe('listenTelnet: the lifetime of a server', { timeout: 10_000 }, () => {
  it('stops listening when unsubscribed, and the connections it accepted stay open', async () => {
    const server = await startServer();
    const client = own(await firstValueFrom(connectTelnet(clientOptions(server.port))));
    const accepted = await server.accept();
    server.stop();

    await expect(firstValueFrom(connectTelnet(clientOptions(server.port)))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    const atClient = text(client, 5);
    expect(accepted.write('still')).toBe(true);
    await expect(atClient).resolves.toBe('still');
  });

  it('firstValueFrom of Listening gives the port, and the server then stops listening', async () => {
    const listening = await firstValueFrom(
      listenTelnet().pipe(
        filter((event): event is TelnetServerEvent & { _tag: 'Listening' } => event._tag === 'Listening'),
      ),
    );
    await expect(firstValueFrom(connectTelnet(clientOptions(listening.address.port)))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('errors with a typed TransportError EADDRINUSE when the port is taken', async () => {
    const server = await startServer();
    await expect(lastValueFrom(listenTelnet({ port: server.port }))).rejects.toBeInstanceOf(TransportError);
  });
});

describe('connectTelnet over a socket: reads decoded in place', { timeout: 10_000 }, () => {
  const IAC = 255;
  const wire = Buffer.concat([
    Buffer.from('one\r\ntwo\r\n'),
    Buffer.from([IAC, 251, TelnetOption.ECHO]),
    Buffer.from('three\r\n'),
    Buffer.from([IAC, 249]),
    Buffer.from('x\r\0y\r\n'),
    Buffer.from([IAC, IAC]),
    Buffer.from('z\r'),
  ]);

  it.each([
    ['data$ only', false],
    ['events$ too (commands end data pieces)', true],
  ] as const)(
    'with %s, every piece of data$ stays as it was emitted while the rest of the read is decoded',
    async (_name, readEvents) => {
      const server = await silentServer();
      const client = own(await firstValueFrom(connectTelnet(clientOptions(server.port, { newline: 'nvt' }))));
      await server.firstSocket;
      const pieces: { readonly bytes: Uint8Array; readonly atEmission: string }[] = [];
      client.data$.subscribe((bytes) => pieces.push({ bytes, atEmission: Buffer.from(bytes).toString('latin1') }));
      const commands: number[] = [];
      if (readEvents) client.commands$.subscribe((event) => commands.push(event.command));
      server.sockets[0]?.end(wire);
      await firstValueFrom(client.closed$);
      expect(pieces.map(({ bytes }) => Buffer.from(bytes).toString('latin1'))).toEqual(
        pieces.map(({ atEmission }) => atEmission),
      );
      expect(pieces.map(({ atEmission }) => atEmission).join('')).toBe('one\ntwo\nthree\nx\ry\n\xffz\r');
      expect(commands).toEqual(readEvents ? [249] : []);
      // split at the negotiation, at GA when it is read, and before the CR held at the end of the read
      expect(pieces.length).toBe(readEvents ? 4 : 3);
    },
  );
});
