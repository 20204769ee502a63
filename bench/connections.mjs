#!/usr/bin/env node
// Many negotiated connections held by one server: heap and RSS per connection, time to accept them all, and the
// latency of a fresh client meanwhile. The server is the demo MUD (`rxtelnet serve`: TTYPE cycle with MTTS, NAWS,
// GMCP, MSSP, EOR, SGA, the login prompt) in a child process, so its memory is measured alone; the clients are raw
// sockets in this process that answer like a MUD client and then sit idle at the login prompt.
// Usage: npm run build && node bench/connections.mjs
// Env: CONNECTIONS (default 10000), MCCP_CONNECTIONS (clients that also agree to MCCP2; default 1000), BATCH (clients
//      connecting at once, default 200). Figures are for this machine, this run. Always exits 0.
import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInflate } from 'node:zlib';

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const TTYPE = 24;
const NAWS = 31;
const MCCP2 = 86;
/** Options the client lets the server perform (EOR, MSSP, GMCP, SGA), MCCP2 too when asked. */
const ACCEPTED = new Set([25, 70, 201, 3]);
const LOGIN_PROMPT = 'name';
const QUIET = 300;

/**
 * A raw-socket MUD client (MCCP2 included: it inflates with node:zlib and reads on): resolves once the login
 * prompt has arrived and the server has then been quiet for `QUIET` ms (its negotiation is over), with the time
 * to the prompt.
 */
function client(port, { mccp }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let pending = Buffer.alloc(0);
    let inflater;
    let prompted;
    let quiet;
    const answer = (bytes) => socket.write(Uint8Array.from(bytes));
    const finish = () => resolve({ socket, ms: prompted ?? performance.now() - started });
    /** Reads whole commands from `pending`; returns the bytes after `IAC SB MCCP2 IAC SE`, if it came. */
    const read = () => {
      let i = 0;
      for (; i < pending.length; i++) {
        const byte = pending[i];
        if (byte !== IAC) {
          text += String.fromCharCode(byte);
          continue;
        }
        if (i + 2 >= pending.length) break;
        const verb = pending[i + 1];
        const option = pending[i + 2];
        if (verb === SB) {
          const end = pending.indexOf(SE, i);
          if (end === -1) break;
          if (option === TTYPE) answer([IAC, SB, TTYPE, 0, ...Buffer.from('MUDLET'), IAC, SE]);
          i = end;
          if (option === MCCP2) {
            const rest = pending.subarray(end + 1);
            pending = Buffer.alloc(0);
            return rest;
          }
          continue;
        }
        if (verb === DO) answer(option === TTYPE || option === NAWS ? [IAC, WILL, option] : [IAC, WONT, option]);
        if (verb === DO && option === NAWS) answer([IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE]);
        if (verb === WILL) answer([IAC, ACCEPTED.has(option) || (mccp && option === MCCP2) ? DO : DONT, option]);
        i += 2;
      }
      pending = pending.subarray(i);
      return undefined;
    };
    const receive = (chunk) => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, QUIET);
      pending = Buffer.concat([pending, chunk]);
      const compressed = read();
      if (prompted === undefined && text.toLowerCase().includes(LOGIN_PROMPT)) prompted = performance.now() - started;
      if (compressed !== undefined) {
        inflater = createInflate();
        inflater.on('data', receive);
        inflater.on('error', reject);
        inflater.write(compressed);
      }
    };
    socket.on('error', reject);
    socket.on('data', (chunk) => (inflater === undefined ? receive(chunk) : inflater.write(chunk)));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => (bytes / 1024).toFixed(1);

async function open(port, count, options, batch) {
  const sockets = [];
  const started = performance.now();
  for (let i = 0; i < count; i += batch) {
    const round = await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => client(port, options)));
    for (const { socket } of round) sockets.push(socket);
  }
  return { sockets, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const connections = Number(process.env.CONNECTIONS ?? 10_000);
  const mccpConnections = Number(process.env.MCCP_CONNECTIONS ?? 1_000);
  const batch = Number(process.env.BATCH ?? 200);
  const server = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--expose-gc'] });
  const replies = [];
  const waiting = [];
  server.on('message', (message) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else replies.push(message);
  });
  const reply = () => new Promise((resolve) => (replies.length > 0 ? resolve(replies.shift()) : waiting.push(resolve)));
  const measure = async () => {
    server.send('measure');
    return (await reply()).memory;
  };
  const { port, memory: base } = await reply();

  const probes = [];
  let probing = true;
  const probe = async () => {
    while (probing) {
      const { socket, ms } = await client(port, { mccp: false });
      probes.push(ms);
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const prober = probe();
  const plain = await open(port, connections, { mccp: false }, batch);
  probing = false;
  await prober;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const afterPlain = await measure();
  const idleProbe = await client(port, { mccp: false });
  idleProbe.socket.destroy();

  const compressed = await open(port, mccpConnections, { mccp: true }, batch);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const afterMccp = await measure();

  const per = (after, before, n) => ({
    heap: kib((after.heapUsed - before.heapUsed) / n),
    rss: kib((after.rss - before.rss) / n),
    external: kib((after.external - before.external) / n),
  });
  const plainPer = per(afterPlain, base, connections);
  const mccpPer = per(afterMccp, afterPlain, mccpConnections);
  console.log('connections: the demo MUD server holding negotiated, idle clients (this machine, this run)');
  console.log(`  ${connections} clients accepted and negotiated in ${plain.seconds.toFixed(1)} s (${batch} at a time)`);
  console.log(
    `  per connection: heap ${plainPer.heap} KiB (target <= 16), RSS ${plainPer.rss} KiB, external ${plainPer.external} KiB`,
  );
  console.log(
    `  ${mccpConnections} more with MCCP2, per connection: heap ${mccpPer.heap} KiB, RSS ${mccpPer.rss} KiB (target <= 64), external ${mccpPer.external} KiB`,
  );
  console.log(
    `  a fresh client's time to its login prompt: median ${median(probes).toFixed(1)} ms, max ${Math.max(...probes).toFixed(1)} ms over ${probes.length} probes while the others connected; ${idleProbe.ms.toFixed(1)} ms once all were held`,
  );
  for (const socket of [...plain.sockets, ...compressed.sockets]) socket.destroy();
  server.send('stop');
}

if (process.argv[2] === 'server') {
  const { startServer } = await import('../dist/cli/server/server.js');
  const limits = {
    maxConnections: 100_000,
    maxConnectionsPerAddress: 100_000,
    idleTimeout: 3_600_000,
    loginTimeout: 3_600_000,
  };
  const server = await startServer({ host: '127.0.0.1', port: 0, tickInterval: 3_600_000, limits }, () => undefined);
  const measure = () => {
    for (let i = 0; i < 4; i++) globalThis.gc();
    const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
    return { heapUsed, rss, external, arrayBuffers };
  };
  process.on('message', (message) => {
    if (message === 'measure') process.send({ memory: measure() });
    if (message === 'stop') {
      server.stop();
      setTimeout(() => process.exit(0), 200);
    }
  });
  process.send({ port: server.address.port, memory: measure() });
} else {
  await main();
}
