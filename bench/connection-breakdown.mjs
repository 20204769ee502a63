// Where a connection's reading time goes, against a bare node:net socket in the same run: the same loopback server
// (bench/node-bench.mjs) read by clients that each do one layer more.
//
// - raw:         a bare socket counting its 'data' events (the baseline of the connection rows of `npm run bench`);
// - translation: the same, plus the NVT translation of each read in place (`translateInPlace`, as the decoder
//                does it, dropping NOP to GA), and nothing else;
// - decoder:     the same, plus `decodeInto` in place in nvt mode, with a sink that counts;
// - connection:  `connectTelnet` with one `data$` subscriber.
//
// Each is shown as a ratio to raw, with its event-loop utilisation: near 1 means the client spends all its time
// on its reads (syscalls included), so the ratio is set by what each layer costs per read.
// Usage: npm run build && node bench/connection-breakdown.mjs [corpus dir]
// Env: BENCH_NET_MIB (corpus bytes per run, default 64), BENCH_NET_REPS (default 8; best of, interleaved).
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectTelnet } from '../dist/node/index.js';
import { createDecoder, decodeInto, ignoreCommandsWhile, setInPlace } from '../dist/codec/parser.js';
import { settleTranslated, translateInPlace, translation } from '../dist/codec/scan.js';
import { rawRead, startServers } from './node-bench.mjs';

/** Reads the source server with a bare socket, calling `onRead` for each read; resolves at the end. */
const readWith = (port, onRead) =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.on('data', onRead);
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      resolve();
    });
  });

/**
 * The NVT translation of a whole read in place. Where it stops (an IAC that starts a negotiation or a
 * subnegotiation, which the decoder would handle), it steps over the IAC and goes on: the bytes after it are
 * translated as data, which costs about what decoding them would.
 */
const translateRead = (chunk) => {
  let at = 0;
  let from = 0;
  while (from < chunk.length) {
    from = translateInPlace(chunk, from, at, true);
    at = translation.end;
    if (from < chunk.length) from++;
  }
  settleTranslated();
};

const countingSink = () => {
  const sink = {
    bytes: 0,
    data: (bytes, start, end) => {
      sink.bytes += end - start;
    },
    command: () => undefined,
    negotiation: () => undefined,
    subnegotiation: () => undefined,
    wants: () => false,
    warning: () => undefined,
  };
  return sink;
};

const decodeReads = (port) => {
  const decoder = createDecoder({ newline: 'nvt' });
  ignoreCommandsWhile(decoder, () => true);
  const sink = countingSink();
  return readWith(port, (chunk) => {
    setInPlace(decoder, true);
    decodeInto(decoder, chunk, sink);
    settleTranslated();
  });
};

const connectionRead = (port) =>
  new Promise((resolve, reject) => {
    const subscription = connectTelnet({ host: '127.0.0.1', port }).subscribe({
      next: (connection) => {
        connection.data$.subscribe();
        connection.closed$.subscribe(() => {
          subscription?.unsubscribe();
          resolve();
        });
      },
      error: reject,
    });
  });

const clients = {
  raw: (port) => rawRead(port),
  translation: (port) => readWith(port, translateRead),
  decoder: (port) => decodeReads(port),
  connection: (port) => connectionRead(port),
};

const corpusDir = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
const bytes = Number(process.env.BENCH_NET_MIB ?? 64) * 1024 * 1024;
const reps = Number(process.env.BENCH_NET_REPS ?? 8);
const names = Object.keys(clients);
console.log(
  `${bytes / 1024 / 1024} MiB per run, best of ${reps} interleaved runs; ratio to raw, event-loop utilisation`,
);
for (const corpus of ['mud', 'bulk']) {
  const { source, stop } = await startServers(join(corpusDir, `${corpus}.bin`), bytes);
  const best = names.map(() => ({ rate: 0, utilisation: 0 }));
  for (let rep = 0; rep < reps; rep++) {
    for (const [k, name] of names.entries()) {
      const before = performance.eventLoopUtilization();
      const t0 = performance.now();
      await clients[name](source);
      const rate = bytes / ((performance.now() - t0) / 1000) / 1e6;
      if (rate > best[k].rate) best[k] = { rate, utilisation: performance.eventLoopUtilization(before).utilization };
    }
  }
  await stop();
  const raw = best[0].rate;
  const cells = names.map(
    (name, k) =>
      `${name} ${best[k].rate.toFixed(0)} MB/s ${(best[k].rate / raw).toFixed(2)}x elu ${best[k].utilisation.toFixed(2)}`,
  );
  console.log(`${corpus.padEnd(5)} ${cells.join(' | ')}`);
}
