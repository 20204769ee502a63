// Node benchmarks of the connection over loopback TCP, each against a bare node:net socket in the same run.
// Imported by run.mjs; runnable alone: node bench/node-bench.mjs [corpus dir].
//
// - read:  a local server (in a worker thread, so that it does not share the client's event loop) sends the
//          corpus and closes; `connectTelnet()` with one `data$` subscriber, and a raw `net.connect` client
//          counting its 'data' events, each receive it whole. MB/s = corpus bytes / time from connect to the end.
//          A third client, `connectTelnet({ newline: 'raw' })`, shows what the NVT translation (CR LF to LF) costs.
// - write: the mud corpus in 1 KiB pieces, written with `connection.write()` and with a bare `socket.write()`
//          (both waiting for drain when told to), to a server that counts until the FIN. MB/s = corpus bytes /
//          time from connect to the server having read everything. Both sockets are TCP_NODELAY (the
//          connection's default), so only the library differs.
// Env: BENCH_NET_MIB (corpus bytes sent per run, default 64), BENCH_NET_REPS (default 5; best of, interleaved).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { firstValueFrom } from 'rxjs';
import { connectTelnet } from '../dist/node/index.js';

const PIECE = 1024;

if (!isMainThread) {
  // The servers: `source` sends the corpus then ends; `sink` counts what it reads, reporting at the FIN.
  const corpus = readFileSync(workerData.file).subarray(0, workerData.bytes);
  const source = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resume(); // the client's answers to negotiations are read and dropped
    socket.end(corpus);
  });
  const sink = createServer((socket) => {
    let bytes = 0;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      bytes += chunk.length;
    });
    socket.on('end', () => {
      parentPort.postMessage({ sink: bytes });
      socket.end();
    });
  });
  source.listen(0, '127.0.0.1', () => {
    sink.listen(0, '127.0.0.1', () => {
      parentPort.postMessage({ source: source.address().port, sinkPort: sink.address().port });
    });
  });
  parentPort.on('message', (message) => {
    if (message === 'stop') {
      source.close();
      sink.close();
      parentPort.close();
    }
  });
}

/** The rates in MB/s of `reps` runs of each function, interleaved so that all see the same machine load. */
const ratesOf = async (reps, bytes, runs) => {
  const rates = runs.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (const [k, run] of runs.entries()) {
      const t0 = performance.now();
      await run();
      const seconds = (performance.now() - t0) / 1000;
      rates[k].push(bytes / seconds / 1e6);
    }
  }
  return rates;
};

/**
 * Starts the servers in a worker thread, on the first `bytes` of `file`: resolves with the source's port, the
 * sink's port, `counted()` (resolves with the byte count of the next connection the sink has seen end) and `stop()`.
 */
export const startServers = async (file, bytes) => {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, bytes } });
  const [{ source, sinkPort }] = await once(worker, 'message');
  const sinkReports = [];
  const waiting = [];
  worker.on('message', (message) => {
    if (message.sink === undefined) return;
    const next = waiting.shift();
    if (next) next(message.sink);
    else sinkReports.push(message.sink);
  });
  const counted = () =>
    sinkReports.length > 0 ? Promise.resolve(sinkReports.shift()) : new Promise((resolve) => waiting.push(resolve));
  const stop = async () => {
    worker.postMessage('stop');
    await worker.terminate();
  };
  return { source, sinkPort, counted, stop };
};

/** Reads the source server with a bare socket, calling `onRead` with each read; resolves at the end. */
export const readEach = (port, onRead) =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.on('data', onRead);
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      resolve();
    });
  });

/** Reads the source server with a bare socket; resolves with the byte count at the end. */
export const rawRead = async (port) => {
  let bytes = 0;
  await readEach(port, (chunk) => {
    bytes += chunk.length;
  });
  return bytes;
};

/**
 * Reads the source server with connectTelnet and one data$ subscriber; resolves with the data byte count. With
 * `newline: 'raw'` (no NVT translation), for the row that shows what the translation costs.
 */
export const telnetRead = (port, newline = 'nvt') =>
  new Promise((resolve, reject) => {
    let bytes = 0;
    const subscription = connectTelnet({ host: '127.0.0.1', port, newline }).subscribe({
      next: (connection) => {
        connection.data$.subscribe({
          next: (chunk) => {
            bytes += chunk.length;
          },
        });
        connection.closed$.subscribe(() => {
          subscription?.unsubscribe();
          resolve(bytes);
        });
      },
      error: reject,
    });
  });

/** Writes the pieces, waiting for drain whenever `write` says so. */
const writeAll = async (pieces, write, drained) => {
  for (const piece of pieces) {
    if (!write(piece)) await drained();
  }
};

const rawWrite = async (port, pieces, counted) => {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  await writeAll(
    pieces,
    (piece) => socket.write(piece),
    () => once(socket, 'drain'),
  );
  socket.end();
  await counted();
  socket.destroy();
};

/** Subscribes to connectTelnet (unsubscribing would close it: firstValueFrom is not used) until it closes. */
const telnetConnection = (port) =>
  new Promise((resolve, reject) => {
    connectTelnet({ host: '127.0.0.1', port }).subscribe({ next: resolve, error: reject });
  });

const telnetWrite = async (port, pieces, counted) => {
  const connection = await telnetConnection(port);
  await writeAll(
    pieces,
    (piece) => connection.write(piece),
    () => firstValueFrom(connection.drain$, { defaultValue: undefined }),
  );
  connection.loseConnection();
  await counted();
};

/**
 * The Node rows of the benchmark: for the `read` corpora (mud, bulk) and the write bench, each rate with its
 * same-run baseline. Returns `{ measure, corpus, rate, baseline, baselineRate, baselineRates }` rows: the best
 * rate of each side, and the rate of every rep of the baseline.
 */
export async function nodeBenches(corpusDir, { reps = Number(process.env.BENCH_NET_REPS ?? 5) } = {}) {
  const bytes = Number(process.env.BENCH_NET_MIB ?? 64) * 1024 * 1024;
  const rows = [];
  for (const corpus of ['mud', 'bulk']) {
    const file = join(corpusDir, `${corpus}.bin`);
    const { source, sinkPort, counted, stop } = await startServers(file, bytes);

    const [rawRates, telnetRates, untranslatedRates] = await ratesOf(reps, bytes, [
      () => rawRead(source),
      () => telnetRead(source),
      () => telnetRead(source, 'raw'),
    ]);
    const raw = { baseline: 'raw node:net socket', baselineRate: Math.max(...rawRates), baselineRates: rawRates };
    rows.push({ measure: 'connectTelnet + data$, loopback', corpus, rate: Math.max(...telnetRates), ...raw });
    rows.push({ measure: "same, newline: 'raw'", corpus, rate: Math.max(...untranslatedRates), ...raw });
    if (corpus === 'mud') {
      const whole = readFileSync(file).subarray(0, bytes);
      const pieces = [];
      for (let off = 0; off < whole.length; off += PIECE) pieces.push(whole.subarray(off, off + PIECE));
      const [bareRates, writeRates] = await ratesOf(reps, bytes, [
        () => rawWrite(sinkPort, pieces, counted),
        () => telnetWrite(sinkPort, pieces, counted),
      ]);
      rows.push({
        measure: 'write() in 1 KiB pieces, loopback',
        corpus,
        rate: Math.max(...writeRates),
        baseline: 'bare socket.write',
        baselineRate: Math.max(...bareRates),
        baselineRates: bareRates,
      });
    }
    await stop();
  }
  return rows;
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  const corpusDir = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
  for (const row of await nodeBenches(corpusDir)) console.log(row);
}
