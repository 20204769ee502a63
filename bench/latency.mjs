#!/usr/bin/env node
// Command round-trip latency over loopback: a client sends a command, the server answers in several writes
// (the room, then the prompt), the client waits for the prompt. Same run, with and without TCP_NODELAY.
// Usage: npm run build && node bench/latency.mjs     Env: LATENCY_ROUNDS (default 200)
// Figures are medians and 99th percentiles in ms. Always exits 0.
import { createServer, connect } from 'node:net';
import { listenTelnet } from '../dist/node/index.js';

const rounds = Number(process.env.LATENCY_ROUNDS ?? 200);
const room = 'The Temple Square\r\nA fountain gurgles here. Exits: north south east\r\n';
const prompt = '<100hp 80mp> ';

/** Resolves with a listening rxtelnet server; `reply` answers one command line on a connection. */
const rxServer = (noDelay, reply) =>
  new Promise((resolve) => {
    const subscription = listenTelnet({ port: 0, newline: 'raw', noDelay }).subscribe((event) => {
      if (event._tag === 'Listening') resolve({ port: event.address.port, stop: () => subscription.unsubscribe() });
      else if (event._tag === 'Connected') {
        const connection = event.connection;
        let pending = '';
        connection.data$.subscribe((bytes) => {
          pending += Buffer.from(bytes).toString('latin1');
          while (pending.includes('\n')) {
            pending = pending.slice(pending.indexOf('\n') + 1);
            reply((text) => connection.write(text));
          }
        });
      }
    });
  });

/** The same with plain node:net and no coalescing: each part is its own socket write. */
const rawServer = (noDelay, reply) =>
  new Promise((resolve) => {
    const server = createServer((socket) => {
      socket.setNoDelay(noDelay);
      let pending = '';
      socket.on('data', (bytes) => {
        pending += bytes.toString('latin1');
        while (pending.includes('\n')) {
          pending = pending.slice(pending.indexOf('\n') + 1);
          reply((text) => socket.write(text));
        }
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, stop: () => server.close() }));
  });

/** Room and prompt in the same tick. */
const sameTick = (write) => {
  write(room);
  write(prompt);
};
/** The prompt a tick later, as when the reply is computed in steps. */
const laterTick = (write) => {
  write(room);
  setImmediate(() => write(prompt));
};

const measure = async (server) => {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const times = [];
  let received = '';
  let done;
  socket.on('data', (bytes) => {
    received += bytes.toString('latin1');
    if (received.endsWith(prompt)) {
      received = '';
      done();
    }
  });
  for (let i = 0; i < rounds + 10; i += 1) {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      done = resolve;
      socket.write('look\r\n');
    });
    if (i >= 10) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  socket.destroy();
  server.stop();
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { median: at(0.5), p99: at(0.99) };
};

const cases = [
  ['rxtelnet, prompt a tick later', 'noDelay: true (default)', () => rxServer(true, laterTick)],
  ['rxtelnet, prompt a tick later', 'noDelay: false', () => rxServer(false, laterTick)],
  ['rxtelnet, room and prompt in one tick', 'noDelay: true (default)', () => rxServer(true, sameTick)],
  ['rxtelnet, room and prompt in one tick', 'noDelay: false', () => rxServer(false, sameTick)],
  ['node:net, two writes in one tick, no coalescing', 'NODELAY', () => rawServer(true, sameTick)],
  ['node:net, two writes in one tick, no coalescing', 'Nagle', () => rawServer(false, sameTick)],
];
const rows = [];
for (const [name, setting, start] of cases) {
  const { median, p99 } = await measure(await start());
  rows.push([name, setting, median.toFixed(2), p99.toFixed(2)]);
}
const header = ['server', 'socket', 'median ms', 'p99 ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
console.log(`\ncommand round trip over loopback, ${rounds} rounds each (the client is NODELAY)\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(row));
process.exit(0);
