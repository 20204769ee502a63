import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { socketTransport } from '../../../src/transport/node/socket-transport.js';
import { connectTcp, listenTcp } from '../../../src/transport/node/tcp.js';
import { TransportError } from '../../../src/negotiation/errors.js';
import { bytes, delay, openResources, read, startServer } from './loopback.js';

const resources = openResources();
const rawServers: Server[] = [];
afterEach(() => {
  resources.closeAll();
  for (const server of rawServers.splice(0)) server.close();
});

/** A plain `node:net` server that hands each accepted socket to `onSocket`; resolves with its port. */
const rawServer = (onSocket: (socket: Socket) => void, allowHalfOpen = false): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer({ allowHalfOpen }, onSocket);
    rawServers.push(server);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      resolve((server.address() as { port: number }).port);
    });
  });

const connectTo = async (port: number) =>
  resources.transport(await firstValueFrom(connectTcp({ host: '127.0.0.1', port })));

describe('socketTransport', { timeout: 10_000 }, () => {
  it('keeps the bytes that arrive before the input is subscribed', async () => {
    const port = await rawServer((socket) => socket.end('early bytes'));
    const client = await connectTo(port);
    await delay(100);
    const reader = read(client);
    await reader.done;
    expect(reader.text()).toBe('early bytes');
  });

  it('refuses a second subscription to its input', async () => {
    const port = await rawServer(() => undefined);
    const client = await connectTo(port);
    client.input.subscribe({ error: () => undefined });
    await expect(firstValueFrom(client.input)).rejects.toMatchObject({
      _tag: 'TransportError',
      code: 'ERR_INPUT_ALREADY_SUBSCRIBED',
    });
  });

  it('errors its input with a TransportError when the peer resets the connection', async () => {
    const port = await rawServer((socket) => {
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const client = await connectTo(port);
    const error: unknown = await read(client).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
  });

  it('destroys the socket when the peer does not close within the grace time', async () => {
    const port = await rawServer(() => undefined, true);
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const transport = resources.transport(socketTransport(socket, { closeTimeout: 100 }));
    const reader = read(transport);
    const started = Date.now();
    transport.close();
    await reader.done; // at our FIN
    expect(socket.destroyed).toBe(false);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('ends its input once our FIN is sent, and drops what a peer that keeps talking sends after it', async () => {
    let talking: NodeJS.Timeout | undefined;
    const port = await rawServer((peer) => {
      talking = setInterval(() => peer.write('more\r\n'), 1);
    }, true);
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    const transport = resources.transport(socketTransport(socket, { closeTimeout: 200 }));
    const reader = read(transport);
    await reader.waitFor(6);
    const started = Date.now();
    transport.close();
    await reader.done;
    const finishedAt = reader.length;
    expect(Date.now() - started).toBeLessThan(100);
    await delay(50);
    expect(reader.length).toBe(finishedAt);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(talking);
  });

  it('waits for ever with closeTimeout Infinity, and refuses a negative or NaN closeTimeout', async () => {
    const port = await rawServer(() => undefined, true);
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    expect(() => socketTransport(socket, { closeTimeout: -1 })).toThrow(RangeError);
    expect(() => socketTransport(socket, { closeTimeout: Number.NaN })).toThrow(RangeError);
    const transport = resources.transport(socketTransport(socket, { closeTimeout: Infinity }));
    read(transport);
    transport.close();
    await delay(100); // a setTimeout(Infinity) would have fired after 1 ms
    expect(socket.destroyed).toBe(false);
    transport.abort?.();
    expect(socket.destroyed).toBe(true);
  });

  it('reports what waits in its buffer, and abort() drops it with the socket', async () => {
    const port = await rawServer((peer) => peer.pause());
    const client = await connectTo(port);
    const reader = read(client);
    const big = new Uint8Array(64 * 1024 * 1024);
    client.write(big);
    expect(client.bufferedBytes?.()).toBeGreaterThan(0);
    client.abort?.();
    await reader.done;
    expect(client.bufferedBytes?.()).toBe(0);
  });

  it('drops writes after close and reports them as not written', async () => {
    const port = await rawServer(() => undefined);
    const client = await connectTo(port);
    client.close();
    expect(client.write(bytes('too late'))).toBe(false);
  });

  it("coalesces a tick's small writes, handing them to the system at each high-water mark's worth", async () => {
    const received: Buffer[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const port = await rawServer((peer) => {
      peer.on('data', (chunk: Buffer) => received.push(chunk));
      peer.on('end', ended);
    });
    const client = await connectTo(port);
    const pieces = Array.from({ length: 64 }, (_, k) => new Uint8Array(1024).fill(k));
    // A corked socket says false past its mark (16 KiB); the system takes these at once, so every write is true.
    expect(pieces.map((piece) => client.write(piece))).toEqual(pieces.map(() => true));
    client.close();
    await done;
    expect(Buffer.concat(received)).toEqual(Buffer.concat(pieces));
  });

  it('emits drain at once when nothing is buffered', async () => {
    const port = await rawServer(() => undefined);
    const client = await connectTo(port);
    await expect(firstValueFrom(client.drain!)).resolves.toBeUndefined();
  });

  it('stops reading while paused: the writer sees false, then drain after resume, and nothing is lost', async () => {
    const server = resources.server(await startServer(listenTcp()));
    const writer = await connectTo(server.port);
    const reader = resources.transport(await server.accept());
    const received = read(reader);
    reader.pause!();

    const chunkSize = 64 * 1024;
    const maxChunks = 1024;
    const sent: Uint8Array[] = [];
    let accepted = true;
    while (accepted && sent.length < maxChunks) {
      const chunk = new Uint8Array(chunkSize).fill(sent.length % 251);
      sent.push(chunk);
      accepted = writer.write(chunk);
    }
    expect(accepted).toBe(false);
    const total = sent.length * chunkSize;

    let drained = false;
    const drain = firstValueFrom(writer.drain!).then(() => {
      drained = true;
    });
    const seenWhilePaused = received.length;
    expect(seenWhilePaused).toBeLessThan(total);
    await delay(100);
    expect(received.length).toBe(seenWhilePaused);
    expect(drained).toBe(false);

    reader.resume!();
    await drain;
    await received.waitFor(total);
    writer.close();
    await received.done;
    expect(received.length).toBe(total);
    expect(received.bytes().equals(Buffer.concat(sent))).toBe(true);
  });
});
