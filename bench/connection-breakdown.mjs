// Where a connection's reading time goes, against a bare node:net socket in the same run: the same loopback server
// (bench/node-bench.mjs) read by clients that each do one layer more.
//
// - raw:         a bare socket counting its 'data' events (the baseline of the connection rows of `npm run bench`);
// - translation: the same, plus the NVT translation of each read in place (`translateInPlace`, as the decoder
//                does it, dropping NOP to GA), and nothing else;
// - decoder:     the same, plus `decodeInto` in place in nvt mode, with a sink that reads nothing;
// - connection:  `connectTelnet` with one `data$` subscriber.
//
// Each is shown as a ratio to raw, with its event-loop utilisation: near 1 means the client spends all its time
// on its reads (syscalls included), so the ratio is set by what each layer costs per read. Then, per client, the
// garbage collections during its runs (full mark-compacts and scavenges, per run, with their time): every read is
// a fresh 64 KiB buffer outside the heap, freed by whichever collection comes first, and a mark-compact costs
// several scavenges.
// Usage: npm run build && node bench/connection-breakdown.mjs [corpus dir]
// Env: BENCH_NET_MIB (corpus bytes per run, default 64), BENCH_NET_REPS (default 8; best of, interleaved).
import { join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDecoder, decodeInto, ignoreCommandsWhile, setInPlace } from '../dist/codec/parser.js';
import { settleTranslated, translateInPlace, translation } from '../dist/codec/scan.js';
import { rawRead, readEach, startServers, telnetRead } from './node-bench.mjs';

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

/** A sink that reads nothing: what `decodeInto` costs on its own. */
const nothing = {
  data: () => undefined,
  command: () => undefined,
  negotiation: () => undefined,
  subnegotiation: () => undefined,
  wants: () => false,
  warning: () => undefined,
};

const decodeReads = (port) => {
  const decoder = createDecoder({ newline: 'nvt' });
  ignoreCommandsWhile(decoder, () => true);
  return readEach(port, (chunk) => {
    setInPlace(decoder, true);
    decodeInto(decoder, chunk, nothing);
    settleTranslated();
  });
};

const clients = {
  raw: rawRead,
  translation: (port) => readEach(port, translateRead),
  decoder: decodeReads,
  connection: (port) => telnetRead(port),
};

const corpusDir = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
const bytes = Number(process.env.BENCH_NET_MIB ?? 64) * 1024 * 1024;
const reps = Number(process.env.BENCH_NET_REPS ?? 8);
const names = Object.keys(clients);

/** Every garbage collection of the run: `{ start, duration, major }` (times in ms, as `performance.now()`). */
const collections = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    collections.push({
      start: entry.startTime,
      duration: entry.duration,
      major: entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
    });
  }
}).observe({ entryTypes: ['gc'] });

/** The collections that started within `windows` (`[from, to]` pairs), per window: major, minor and ms. */
const collectionsIn = (windows) => {
  const within = collections.filter(({ start }) => windows.some(([from, to]) => start >= from && start < to));
  const perRun = (count) => (count / windows.length).toFixed(1);
  const major = within.filter((gc) => gc.major).length;
  const ms = within.reduce((sum, gc) => sum + gc.duration, 0);
  return `${perRun(major)} major ${perRun(within.length - major)} minor ${perRun(ms)} ms`;
};
console.log(
  `${bytes / 1024 / 1024} MiB per run, best of ${reps} interleaved runs; ratio to raw, event-loop utilisation`,
);
for (const corpus of ['mud', 'bulk']) {
  const { source, stop } = await startServers(join(corpusDir, `${corpus}.bin`), bytes);
  const best = names.map(() => ({ rate: 0, utilisation: 0 }));
  const windows = names.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (const [k, name] of names.entries()) {
      const before = performance.eventLoopUtilization();
      const t0 = performance.now();
      await clients[name](source);
      const t1 = performance.now();
      windows[k].push([t0, t1]);
      const rate = bytes / ((t1 - t0) / 1000) / 1e6;
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
  await new Promise((resolve) => setImmediate(resolve)); // the observer has every collection of these runs
  console.log(`  gc per run: ${names.map((name, k) => `${name} ${collectionsIn(windows[k])}`).join(' | ')}`);
}
