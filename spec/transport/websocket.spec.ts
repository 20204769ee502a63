import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { first, firstValueFrom, lastValueFrom, scan, toArray, VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket } from 'ws';
import { ConnectionClosedError, OptionRefusedError, WebSocketError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import type { Transport } from '../../src/transport/types.js';
import { connectWebSocket, webSocketTransport } from '../../src/transport/websocket.js';
import type { WebSocketConstructor, WebSocketLike } from '../../src/transport/websocket.js';
import { watch } from '../helpers/watch.js';

/** One event of the fake socket, carrying whatever fields its type needs. */
class FakeSocketEvent extends Event {
  readonly data: unknown;
  readonly code: number;
  readonly reason: string;

  constructor(
    type: 'open' | 'message' | 'close' | 'error',
    fields: { readonly data?: unknown; readonly code?: number; readonly reason?: string } = {},
  ) {
    super(type);
    this.data = fields.data;
    this.code = fields.code ?? 0;
    this.reason = fields.reason ?? '';
  }
}

type FakeListener = (event: FakeSocketEvent) => void;

/** A WebSocket double on an `EventTarget`: the test plays the network by calling `open`, `receive`, `closed`. */
class FakeWebSocket implements WebSocketLike {
  static readonly created: FakeWebSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  bufferedAmount = 0;
  readonly sent: number[][] = [];
  readonly closeCalls: (number | undefined)[] = [];
  private readonly events = new EventTarget();
  private readonly registered = new Map<FakeListener, EventListener>();

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.created.push(this);
  }

  addEventListener(type: string, listener: FakeListener): void {
    const registered = (event: Event): void => {
      if (event instanceof FakeSocketEvent) listener(event);
    };
    this.registered.set(listener, registered);
    this.events.addEventListener(type, registered);
  }

  removeEventListener(type: string, listener: FakeListener): void {
    this.events.removeEventListener(type, this.registered.get(listener) ?? null);
    this.registered.delete(listener);
  }

  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 1) throw new Error(`send in state ${this.readyState}`);
    this.sent.push([...data]);
    this.bufferedAmount += data.byteLength;
  }

  close(code?: number): void {
    this.closeCalls.push(code);
    if (this.readyState < 2) this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.events.dispatchEvent(new FakeSocketEvent('open'));
  }

  receive(data: unknown): void {
    this.events.dispatchEvent(new FakeSocketEvent('message', { data }));
  }

  closed(code: number, reason = ''): void {
    this.readyState = 3;
    this.events.dispatchEvent(new FakeSocketEvent('close', { code, reason }));
  }

  failed(): void {
    this.events.dispatchEvent(new FakeSocketEvent('error'));
  }
}

const openSocket = (url = 'ws://gateway.example/telnet'): FakeWebSocket => {
  const socket = new FakeWebSocket(url);
  socket.open();
  return socket;
};

const bytes = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;

afterEach(() => {
  FakeWebSocket.created.length = 0;
  vi.unstubAllGlobals();
});

describe('WebSocketLike', () => {
  it("is satisfied by the browser's WebSocket and by ws's, without casts", () => {
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<typeof WsWebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<WsWebSocket>().toExtend<WebSocketLike>();
  });
});

describe('webSocketTransport: input', () => {
  it('sets binaryType to arraybuffer and emits binary messages as bytes, text messages as UTF-8', () => {
    const socket = openSocket();
    const { input } = webSocketTransport(socket);
    expect(socket.binaryType).toBe('arraybuffer');
    const { seen } = watch(input);
    socket.receive(bytes(1, 255, 2));
    socket.receive(new Uint8Array([9, 8, 7, 6]).subarray(1, 3));
    socket.receive('é');
    expect(seen.values.map((chunk) => [...chunk])).toEqual([
      [1, 255, 2],
      [8, 7],
      [0xc3, 0xa9],
    ]);
    expect(seen.values.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
  });

  it('emits arrays of their own (freshInput): a view some other code still holds is copied', () => {
    const socket = openSocket();
    const transport = webSocketTransport(socket);
    expect(transport.freshInput).toBe(true);
    const { seen } = watch(transport.input);
    const shared = new Uint8Array([9, 8, 7, 6]);
    const message = new ArrayBuffer(2);
    socket.receive(shared.subarray(1, 3));
    socket.receive(message);
    seen.values[0]?.fill(0); // the connection rewrites what it decodes
    expect([...shared]).toEqual([9, 8, 7, 6]);
    expect(seen.values[1]?.buffer).toBe(message);
  });

  it('keeps what arrives before the subscription, and the end too', () => {
    const socket = openSocket();
    const { input } = webSocketTransport(socket);
    socket.receive(bytes(1));
    socket.receive(bytes(2, 3));
    socket.closed(1000);
    const { seen } = watch(input);
    expect(seen.values.map((chunk) => [...chunk])).toEqual([[1], [2, 3]]);
    expect(seen.completed).toBe(true);
  });

  it('errors a second subscription with ERR_INPUT_ALREADY_SUBSCRIBED', () => {
    const { input } = webSocketTransport(openSocket());
    watch(input);
    const second = watch(input);
    expect(second.seen.error).toBeInstanceOf(WebSocketError);
    expect(second.seen.error).toMatchObject({ _tag: 'WebSocketError', code: 'ERR_INPUT_ALREADY_SUBSCRIBED' });
  });

  it.each([1000, 1005])('completes on a clean close (code %i)', (code) => {
    const socket = openSocket();
    const { seen } = watch(webSocketTransport(socket).input);
    socket.closed(code);
    expect(seen).toEqual({ values: [], completed: true });
  });

  it('errors with ERR_WEBSOCKET_CLOSED on an abnormal close, with the code and reason', () => {
    const socket = openSocket();
    const { seen } = watch(webSocketTransport(socket).input);
    socket.closed(1011, 'gateway lost the MUD');
    expect(seen.completed).toBe(false);
    expect(seen.error).toBeInstanceOf(WebSocketError);
    expect(seen.error).toMatchObject({
      code: 'ERR_WEBSOCKET_CLOSED',
      closeCode: 1011,
      closeReason: 'gateway lost the MUD',
    });
  });

  it("errors with ERR_WEBSOCKET_FAILED on 'error'; the close that follows changes nothing", () => {
    const socket = openSocket();
    const { seen } = watch(webSocketTransport(socket).input);
    socket.failed();
    socket.closed(1006);
    expect(seen.error).toMatchObject({ code: 'ERR_WEBSOCKET_FAILED' });
    expect(seen.completed).toBe(false);
  });

  it('fails with ERR_WEBSOCKET_OVERFLOW when more than maxPending bytes wait for the subscription', () => {
    const socket = openSocket();
    const { input } = webSocketTransport(socket, { maxPending: 4 });
    socket.receive(bytes(1, 2, 3, 4));
    expect(socket.closeCalls).toEqual([]);
    socket.receive(bytes(5));
    expect(socket.closeCalls).toEqual([undefined]);
    const { seen } = watch(input);
    expect(seen.error).toMatchObject({ code: 'ERR_WEBSOCKET_OVERFLOW' });
  });

  it('fails when a message is of a type it cannot read (binaryType changed to blob behind its back)', () => {
    const socket = openSocket();
    const { seen } = watch(webSocketTransport(socket).input);
    socket.receive(new Blob([new Uint8Array([1])]));
    expect(seen.error).toMatchObject({ code: 'ERR_WEBSOCKET_FAILED' });
    expect(socket.closeCalls).toEqual([undefined]);
  });

  it('drops what arrives after the subscriber left', () => {
    const socket = openSocket();
    const { input } = webSocketTransport(socket);
    const { seen, subscription } = watch(input);
    subscription.unsubscribe();
    socket.receive(bytes(1));
    expect(seen.values).toEqual([]);
  });
});

describe('webSocketTransport: writing before open', () => {
  it('queues writes and sends them as one message on open', () => {
    const socket = new FakeWebSocket('ws://gateway.example/');
    const transport = webSocketTransport(socket);
    const chunk = new Uint8Array([1, 2]);
    expect(transport.write(chunk)).toBe(true);
    chunk[0] = 99;
    expect(transport.write(new Uint8Array([255, 3]))).toBe(true);
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([[1, 2, 255, 3]]);
    transport.write(new Uint8Array([4]));
    expect(socket.sent).toEqual([[1, 2, 255, 3], [4]]);
  });

  it('answers false past the high-water mark while it queues, and fails past maxPending', () => {
    const socket = new FakeWebSocket('ws://gateway.example/');
    const transport = webSocketTransport(socket, { highWaterMark: 2, maxPending: 4 });
    const { seen } = watch(transport.input);
    expect(transport.write(new Uint8Array([1, 2]))).toBe(true);
    expect(transport.write(new Uint8Array([3, 4]))).toBe(false);
    expect(seen.error).toBeUndefined();
    expect(transport.write(new Uint8Array([5]))).toBe(false);
    expect(seen.error).toMatchObject({ code: 'ERR_WEBSOCKET_OVERFLOW' });
    expect(socket.closeCalls).toEqual([undefined]);
    expect(transport.write(new Uint8Array([6]))).toBe(false);
  });

  it('close() while connecting waits for open, sends the queue, then closes with 1000', () => {
    const socket = new FakeWebSocket('ws://gateway.example/');
    const transport = webSocketTransport(socket);
    transport.write(new Uint8Array([1]));
    transport.close();
    expect(transport.write(new Uint8Array([2]))).toBe(false);
    expect(socket.closeCalls).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([[1]]);
    expect(socket.closeCalls).toEqual([1000]);
  });
});

describe('webSocketTransport: writing and closing', () => {
  it('sends each write as one binary message, copying bytes that sit on a SharedArrayBuffer', () => {
    const socket = openSocket();
    const transport = webSocketTransport(socket);
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([7, 255, 9]);
    transport.write(new Uint8Array([1, 2, 3]).subarray(1));
    transport.write(shared);
    expect(socket.sent).toEqual([
      [2, 3],
      [7, 255, 9],
    ]);
  });

  it('close() closes with 1000; later writes are dropped; the input completes on close, whatever the code', () => {
    const socket = openSocket();
    const transport = webSocketTransport(socket);
    const { seen } = watch(transport.input);
    transport.close();
    transport.close();
    expect(socket.closeCalls).toEqual([1000]);
    expect(transport.write(new Uint8Array([1]))).toBe(false);
    expect(socket.sent).toEqual([]);
    socket.closed(1006);
    expect(seen.completed).toBe(true);
  });

  it('drops writes once the socket is closing or closed', () => {
    const socket = openSocket();
    const transport = webSocketTransport(socket);
    socket.readyState = 2;
    expect(transport.write(new Uint8Array([1]))).toBe(false);
    socket.closed(1000);
    expect(transport.write(new Uint8Array([1]))).toBe(false);
    expect(socket.sent).toEqual([]);
  });
});

describe('webSocketTransport: backpressure', () => {
  it('write answers false above the high-water mark; drain polls bufferedAmount in virtual time', () => {
    const scheduler = new VirtualTimeScheduler();
    const socket = openSocket();
    const transport = webSocketTransport(socket, { highWaterMark: 4, drainPollInterval: 10, scheduler });
    expect(transport.write(new Uint8Array(4))).toBe(true);
    expect(transport.write(new Uint8Array(1))).toBe(false);
    const { seen } = watch(transport.drain!);
    scheduler.maxFrames = 25;
    scheduler.flush();
    expect(seen).toEqual({ values: [], completed: false });
    socket.bufferedAmount = 4;
    scheduler.maxFrames = 35;
    scheduler.flush();
    expect(seen).toEqual({ values: [undefined], completed: true });
    expect(scheduler.now()).toBe(30);
  });

  it('drain emits at once when there is room, and completes without emitting when the socket closes first', () => {
    const scheduler = new VirtualTimeScheduler();
    const socket = openSocket();
    const transport = webSocketTransport(socket, { highWaterMark: 0, drainPollInterval: 10, scheduler });
    expect(watch(transport.drain!).seen).toEqual({ values: [undefined], completed: true });
    transport.write(new Uint8Array(1));
    const { seen } = watch(transport.drain!);
    socket.closed(1000);
    expect(seen).toEqual({ values: [], completed: true });
    expect(watch(transport.drain!).seen).toEqual({ values: [], completed: true });
  });
});

describe('webSocketTransport: addresses', () => {
  it.each([
    ['ws://gateway.example/telnet', 'gateway.example', 80],
    ['wss://gateway.example/telnet', 'gateway.example', 443],
    ['wss://[::1]:8443/', '::1', 8443],
    ['ws://127.0.0.1:4000', '127.0.0.1', 4000],
    ['', 'websocket', 0],
  ])('the peer of %s is %s port %i', (url, address, port) => {
    expect(webSocketTransport(openSocket(url)).peer).toEqual({ family: 'other', address, port });
  });

  it('reports an unknown host, and takes both addresses from the options', () => {
    const transport = webSocketTransport(openSocket());
    expect(transport.host).toEqual({ family: 'other', address: 'websocket', port: 0 });
    const host = { family: 'IPv4', address: '10.0.0.1', port: 5000 } as const;
    const peer = { family: 'IPv4', address: '10.0.0.2', port: 23 } as const;
    expect(webSocketTransport(openSocket(), { host, peer })).toMatchObject({ host, peer });
  });
});

describe('connectWebSocket', () => {
  it('is cold, opens on subscribe with the protocols, and emits the transport once open', async () => {
    const connecting = connectWebSocket('ws://gateway.example/telnet', {
      WebSocket: FakeWebSocket,
      protocols: ['telnet'],
    });
    expect(FakeWebSocket.created).toEqual([]);
    const transport = firstValueFrom(connecting);
    const [socket] = FakeWebSocket.created;
    expect(socket).toMatchObject({
      url: 'ws://gateway.example/telnet',
      protocols: ['telnet'],
      binaryType: 'arraybuffer',
    });
    socket!.open();
    expect((await transport).peer).toEqual({ family: 'other', address: 'gateway.example', port: 80 });
  });

  it('uses globalThis.WebSocket by default, and errors ERR_WEBSOCKET_UNAVAILABLE without one', () => {
    vi.stubGlobal('WebSocket', FakeWebSocket);
    watch(connectWebSocket('ws://gateway.example/'));
    expect(FakeWebSocket.created).toHaveLength(1);
    vi.stubGlobal('WebSocket', undefined);
    expect(watch(connectWebSocket('ws://gateway.example/')).seen.error).toMatchObject({
      code: 'ERR_WEBSOCKET_UNAVAILABLE',
    });
  });

  it.each([
    [
      'an error',
      (socket: FakeWebSocket) => {
        socket.failed();
      },
    ],
    [
      'a close',
      (socket: FakeWebSocket) => {
        socket.closed(1006);
      },
    ],
  ])('errors ERR_WEBSOCKET_OPEN_FAILED on %s before open', (_name, fail) => {
    const { seen } = watch(connectWebSocket('ws://gateway.example/', { WebSocket: FakeWebSocket }));
    fail(FakeWebSocket.created[0]!);
    expect(seen.error).toBeInstanceOf(WebSocketError);
    expect(seen.error).toMatchObject({ code: 'ERR_WEBSOCKET_OPEN_FAILED' });
  });

  it('errors ERR_WEBSOCKET_OPEN_FAILED when the constructor throws', () => {
    const Throwing: WebSocketConstructor = class extends FakeWebSocket {
      constructor(url: string) {
        super(url);
        throw new SyntaxError(`bad URL ${url}`);
      }
    };
    const { seen } = watch(connectWebSocket('nope', { WebSocket: Throwing }));
    expect(seen.error).toMatchObject({
      code: 'ERR_WEBSOCKET_OPEN_FAILED',
      message: 'cannot open a WebSocket to nope: bad URL nope',
    });
  });

  it('closes the socket when unsubscribed before open, and leaves an open one alone', () => {
    const early = watch(connectWebSocket('ws://gateway.example/', { WebSocket: FakeWebSocket }));
    early.subscription.unsubscribe();
    expect(FakeWebSocket.created[0]!.closeCalls).toEqual([undefined]);
    const late = watch(connectWebSocket('ws://gateway.example/', { WebSocket: FakeWebSocket }));
    FakeWebSocket.created[1]!.open();
    late.subscription.unsubscribe();
    expect(late.seen.values).toHaveLength(1);
    expect(FakeWebSocket.created[1]!.closeCalls).toEqual([]);
  });
});

describe('over a real WebSocket (the ws package on 127.0.0.1)', () => {
  /** A gateway that runs a Telnet server on the server side of each WebSocket. */
  const startGateway = async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const connections: TelnetConnection[] = [];
    const arrived = new Promise<TelnetConnection>((resolve) => {
      server.on('connection', (socket) => {
        const connection = createConnection(webSocketTransport(socket), {
          policy: policyOf({ local: [TelnetOption.ECHO] }),
          newline: 'raw',
        });
        connections.push(connection);
        resolve(connection);
      });
    });
    const { port } = server.address() as AddressInfo;
    const stop = async (): Promise<void> => {
      for (const connection of connections) connection.loseConnection();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    };
    return { port, arrived, stop };
  };

  const connectClient = async (port: number): Promise<TelnetConnection> => {
    const transport: Transport = await firstValueFrom(
      connectWebSocket(`ws://127.0.0.1:${port}`, { WebSocket: WsWebSocket }),
    );
    return createConnection(transport, { policy: policyOf({ remote: [TelnetOption.ECHO] }), newline: 'raw' });
  };

  /** The first `count` data bytes the connection receives (the decoder may cut them into several views). */
  const firstBytes = (connection: TelnetConnection, count: number): Promise<number[]> =>
    firstValueFrom(
      connection.data$.pipe(
        scan((seen: number[], chunk) => [...seen, ...chunk], []),
        first((seen) => seen.length >= count),
      ),
    );

  it('negotiates, carries 0xFF both ways, and closes cleanly from the client', { timeout: 10_000 }, async () => {
    const gateway = await startGateway();
    try {
      const client = await connectClient(gateway.port);
      const server = await gateway.arrived;
      expect(client.getPeer()).toEqual({ family: 'other', address: '127.0.0.1', port: gateway.port });

      await expect(firstValueFrom(client.do(TelnetOption.ECHO))).resolves.toEqual({
        option: TelnetOption.ECHO,
        side: 'remote',
        enabled: true,
      });
      await expect(firstValueFrom(client.will(TelnetOption.NAWS))).rejects.toBeInstanceOf(OptionRefusedError);
      await expect(firstValueFrom(server.do(TelnetOption.TTYPE))).rejects.toBeInstanceOf(OptionRefusedError);
      expect(server.isEnabled('local', TelnetOption.ECHO)).toBe(true);

      const atServer = firstBytes(server, 5);
      client.write(new Uint8Array([1, 255, 2, 255, 255]));
      expect(await atServer).toEqual([1, 255, 2, 255, 255]);
      const atClient = firstBytes(client, 3);
      server.write(new Uint8Array([255, 0, 255]));
      expect(await atClient).toEqual([255, 0, 255]);

      const pending = firstValueFrom(server.do(TelnetOption.NAWS));
      const serverClosed = firstValueFrom(server.closed$);
      client.loseConnection();
      await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(serverClosed).resolves.toEqual({ _tag: 'ClosedByPeer' });
      await expect(firstValueFrom(client.closed$)).resolves.toEqual({ _tag: 'ClosedByUs' });
    } finally {
      await gateway.stop();
    }
  });

  it(
    'completes once the socket has closed, after the connection over it said closed$',
    { timeout: 10_000 },
    async () => {
      const gateway = await startGateway();
      try {
        const order: string[] = [];
        const completed = new Promise<void>((resolve, reject) => {
          connectWebSocket(`ws://127.0.0.1:${gateway.port}`, { WebSocket: WsWebSocket }).subscribe({
            next: (transport) => {
              order.push('next');
              createConnection(transport).closed$.subscribe((reason) => order.push(`closed$ ${reason._tag}`));
            },
            error: reject,
            complete: () => {
              order.push('complete');
              resolve();
            },
          });
        });
        (await gateway.arrived).loseConnection();
        await completed;
        expect(order).toEqual(['next', 'closed$ ClosedByPeer', 'complete']);
      } finally {
        await gateway.stop();
      }
    },
  );

  it('closes the socket when unsubscribed before it opens', { timeout: 10_000 }, async () => {
    // A TCP server that never answers the upgrade request: the WebSocket stays connecting.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    try {
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const { port } = server.address() as AddressInfo;
      const { seen, subscription } = watch(connectWebSocket(`ws://127.0.0.1:${port}`, { WebSocket: WsWebSocket }));
      const [socket] = await accepted;
      const closed = once(socket, 'close');
      subscription.unsubscribe();
      await closed;
      expect(seen.values).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('errors ERR_WEBSOCKET_OPEN_FAILED, caused by ECONNREFUSED, when nothing listens', async () => {
    const gateway = await startGateway();
    await gateway.stop();
    const error: unknown = await firstValueFrom(
      connectWebSocket(`ws://127.0.0.1:${gateway.port}`, { WebSocket: WsWebSocket }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toMatchObject({ code: 'ERR_WEBSOCKET_OPEN_FAILED', cause: { code: 'ECONNREFUSED' } });
  });

  it('closes cleanly from the server, failing the client’s pending request', { timeout: 10_000 }, async () => {
    const gateway = await startGateway();
    try {
      const client = await connectClient(gateway.port);
      const server = await gateway.arrived;
      const received = lastValueFrom(client.data$.pipe(toArray()));
      server.write('bye');
      const pending = firstValueFrom(client.do(TelnetOption.SGA));
      server.loseConnection();
      await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(firstValueFrom(client.closed$)).resolves.toEqual({ _tag: 'ClosedByPeer' });
      await expect(firstValueFrom(server.closed$)).resolves.toEqual({ _tag: 'ClosedByUs' });
      expect(new TextDecoder().decode(Buffer.concat(await received))).toBe('bye');
    } finally {
      await gateway.stop();
    }
  });
});
