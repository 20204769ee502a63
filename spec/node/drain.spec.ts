/**
 * drainOn over real loopback sockets: the goodbye message and everything written before it reach the client,
 * a compressed stream is finished properly, a client that never reads is forced at the deadline, and the server
 * stops listening.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { inflateSync } from 'node:zlib';
import { lastValueFrom, Subject, tap, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import { drainOn } from '../../src/node/drain.js';
import type { DrainableEvent, Drained, Draining } from '../../src/node/drain.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';
import { listenTelnet } from '../../src/node/telnet.js';
import type { TelnetListenOptions, TelnetServerEvent } from '../../src/node/telnet.js';

const { IAC, DO, SB, SE } = Command;
const { MCCP2 } = TelnetOption;

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

type Event = TelnetServerEvent | Draining | Drained;

/** A server piped through drainOn(stop): its port, its connections as they come, and all its events at the end. */
const serve = async (options: TelnetListenOptions, drain: Parameters<typeof drainOn>[1]) => {
  const stop = new Subject<void>();
  const connections: TelnetConnection[] = [];
  const arrivals = new Subject<TelnetConnection>();
  const events: Observable<Event> = listenTelnet({ port: 0, ...options }).pipe(drainOn(stop, drain));
  let resolvePort: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => (resolvePort = resolve));
  const all: Promise<Event[]> = lastValueFrom(
    events.pipe(
      tap((event) => {
        if (event._tag === 'Listening') resolvePort(event.address.port);
        if (event._tag === 'Connected') {
          connections.push(event.connection);
          arrivals.next(event.connection);
        }
      }),
      toArray(),
    ),
  );
  return {
    port: await port,
    connections,
    arrivals,
    all,
    stop: () => {
      stop.next();
    },
  };
};

/** A raw client that records every byte it receives and resolves `ended` on the server's FIN. */
const client = (port: number) => {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const ended = new Promise<Buffer>((resolve) =>
    socket.once('end', () => {
      resolve(Buffer.concat(received));
    }),
  );
  const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
  return { socket, ended, connected, received: () => Buffer.concat(received) };
};

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('drainOn', () => {
  it('stops listening, says goodbye, ends a compressed stream cleanly and loses nothing written before', async () => {
    const server = await serve(
      { policy: policyOf({ local: [MCCP2] }) },
      { message: 'Shutting down.\r\n', deadline: 5_000 },
    );
    const plain = client(server.port);
    const compressed = client(server.port);
    await Promise.all([plain.connected, compressed.connected]);
    await until(() => server.connections.length === 2);
    compressed.socket.write(Uint8Array.from([IAC, DO, MCCP2]));
    const marker = Buffer.from([IAC, SB, MCCP2, IAC, SE]);
    await until(() => compressed.received().includes(marker));
    for (const connection of server.connections) connection.write('You are in a dark room.\r\n');
    server.stop();

    const [plainBytes, compressedBytes, events] = await Promise.all([plain.ended, compressed.ended, server.all]);
    expect(plainBytes.toString('latin1')).toBe('You are in a dark room.\r\nShutting down.\r\n');
    const stream = compressedBytes.subarray(compressedBytes.indexOf(marker) + marker.length);
    // inflateSync throws on a truncated stream: this one was finished, with everything written before the FIN.
    expect(inflateSync(stream).toString('latin1')).toBe('You are in a dark room.\r\nShutting down.\r\n');
    expect(events.slice(-2)).toEqual([
      { _tag: 'Draining', connections: 2 },
      { _tag: 'Drained', graceful: 2, forced: 0 },
    ]);
    const refused = connect({ host: '127.0.0.1', port: server.port });
    sockets.push(refused);
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => refused.once('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('aborts a client that never reads at the deadline, and reports it as forced', async () => {
    const server = await serve({}, { message: 'bye\r\n', deadline: 300 });
    const stuck = client(server.port);
    stuck.socket.pause(); // never reads: the kernel buffers fill up, then ours
    const connection = await new Promise<TelnetConnection>((resolve) => server.arrivals.subscribe(resolve));
    const chunk = 'x'.repeat(64 * 1024);
    while (connection.write(chunk)) await new Promise((resolve) => setImmediate(resolve));
    const closedReasons: string[] = [];
    connection.closed$.subscribe((reason) => closedReasons.push(reason._tag));
    server.stop();
    const events = await server.all;
    expect(events.at(-1)).toEqual({ _tag: 'Drained', graceful: 0, forced: 1 });
    expect(closedReasons).toEqual(['ClosedByUs']);
  });

  it('with no connection open, completes at once', async () => {
    const server = await serve({}, {});
    server.stop();
    const events = await server.all;
    expect(events.map((event) => event._tag)).toEqual(['Listening', 'Draining', 'Drained']);
    expect(events.at(-1)).toEqual({ _tag: 'Drained', graceful: 0, forced: 0 });
  });

  it('on the scheduler: aborts at the deadline, and not at all once unsubscribed before it', () => {
    const stalled = () => {
      let aborts = 0;
      // A peer that never acknowledges our close: only the deadline ends the connection.
      const transport = {
        ...manualTransport(),
        close: () => undefined,
        abort: () => {
          aborts++;
        },
      };
      return { connection: createConnection(transport), aborts: () => aborts };
    };
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    });
    const kept = stalled();
    const left = stalled();
    const seen: string[] = [];
    scheduler.run(() => {
      const stop = new Subject<void>();
      const events = new Subject<DrainableEvent>();
      const otherEvents = new Subject<DrainableEvent>();
      events.pipe(drainOn(stop, { deadline: 100, scheduler })).subscribe((event) => {
        if (event._tag === 'Drained') seen.push(`${scheduler.now()} ${JSON.stringify(event)}`);
      });
      const abandoned = otherEvents.pipe(drainOn(stop, { deadline: 100, scheduler })).subscribe();
      events.next({ _tag: 'Connected', connection: kept.connection });
      otherEvents.next({ _tag: 'Connected', connection: left.connection });
      stop.next();
      scheduler.schedule(() => {
        abandoned.unsubscribe();
      }, 50);
    });
    expect(seen).toEqual(['100 {"_tag":"Drained","graceful":0,"forced":1}']);
    expect(kept.aborts()).toBe(1);
    expect(left.aborts()).toBe(0);
  });

  it('refuses a deadline of 0, below 0 or NaN, and takes Infinity', () => {
    const stop = new Subject<void>();
    for (const deadline of [0, -1, Number.NaN]) expect(() => drainOn(stop, { deadline })).toThrow(RangeError);
    expect(() => drainOn(stop, { deadline: Infinity })).not.toThrow();
  });
});
