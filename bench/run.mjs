#!/usr/bin/env node
// rxtelnet's throughput against same-run baselines: the decoders against libtelnet (C), the connection against a
// bare node:net socket (bench/node-bench.mjs). Every target of the performance issue is one row, with PASS or MISS.
// Usage: npm run bench   (= npm run build && node bench/run.mjs)
// Env: BENCH_SCALE (corpus size factor, default 1), BENCH_REPS (default 5), BENCH_MIN_SECONDS (per rep, default 0.5),
//      BENCH_ONLY (e.g. "mud dense"), BENCH_NODE=0 (skip the loopback benches; see node-bench.mjs for theirs).
// On each corpus the reps of both sides alternate (one of libtelnet's, then one of each of our rows, and again), so
// that a burst of load on a shared machine falls on both; each side reports the best of its reps.
// Always exits 0: it reports PASS or MISS per target.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from } from 'rxjs';
import { createDecoder, decodeChunk, decodeInto } from '../dist/codec/parser.js';
import { decodeTelnet } from '../dist/operators/decodeTelnet.js';
import { nodeBenches } from './node-bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, 'corpus');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const reps = Number(process.env.BENCH_REPS ?? 5);
const minSeconds = Number(process.env.BENCH_MIN_SECONDS ?? 0.5);
const CHUNK = 16 * 1024;
const corpora = (process.env.BENCH_ONLY ?? 'bulk mud binary dense').split(/\s+/).filter(Boolean);
/** Minimum ratio to the baseline, by measure and corpus (undefined: shown for information). */
const targets = {
  'decodeTelnet, Buffers': { bulk: 5, mud: 1.5, binary: 1.5, dense: 0.5 },
  'decodeTelnet, plain Uint8Array': { bulk: 2, mud: 1.2, binary: 1.2, dense: 0.5 },
  'decodeInto, Buffers': { bulk: 5, mud: 1.5, binary: 1.5, dense: 1 },
  'decodeInto, plain Uint8Array': {},
  'decodeChunk, Buffers': {},
  'connectTelnet + data$, loopback': { mud: 0.5, bulk: 0.9 },
  "same, newline: 'raw'": {},
  'write() in 1 KiB pieces, loopback': {},
};

const ensureCorpus = () => {
  const marker = join(corpusDir, 'scale.txt');
  const fresh =
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === String(scale) &&
    corpora.every((c) => existsSync(join(corpusDir, `${c}.bin`)));
  if (fresh) return;
  console.log(`generating corpora in ${corpusDir} (scale ${scale})`);
  const gen = spawnSync(process.execPath, [join(here, 'gen-corpus.mjs'), corpusDir, `--scale=${scale}`], {
    stdio: 'inherit',
  });
  if (gen.status !== 0) throw new Error('corpus generation failed');
  writeFileSync(marker, `${scale}\n`);
};

/** One timed rep of libtelnet (after its own warm-up pass) on `name`, in MB/s; undefined when it cannot be built. */
const libtelnetRep = (name) => {
  const run = spawnSync(
    'bash',
    [join(here, 'libtelnet-baseline.sh'), corpusDir, String(CHUNK), '1', String(minSeconds)],
    { encoding: 'utf8', env: { ...process.env, ONLY: name } },
  );
  const line = (run.stdout ?? '').split('\n').find((text) => text.startsWith('{'));
  if (line === undefined) {
    if (run.stderr) console.log(run.stderr.trim().split('\n').slice(-3).join('\n'));
    return undefined;
  }
  return Math.max(...JSON.parse(line).reps);
};

/** One timed rep: runs `pass` repeatedly for `minSeconds`; returns the rate in MB/s. */
const timedRep = (bytes, pass) => {
  const t0 = performance.now();
  let passes = 0;
  let t;
  do {
    pass();
    passes++;
    t = performance.now();
  } while (t - t0 < minSeconds * 1000);
  return (passes * bytes) / ((t - t0) / 1000) / 1e6;
};

const counting = () => {
  const counts = { events: 0, dataBytes: 0 };
  const emit = (event) => {
    counts.events++;
    if (event._tag === 'Data') counts.dataBytes += event.bytes.length;
  };
  return { counts, emit };
};

/** decodeChunk over the chunks, one decoder per pass. */
const chunkDecoder = (chunks) => {
  const { emit } = counting();
  return () => {
    const decoder = createDecoder();
    for (const chunk of chunks) decodeChunk(decoder, chunk, emit);
  };
};

/** decodeInto with a sink that counts, as libtelnet's bench handler does. */
const intoDecoder = (chunks) => {
  const counts = { events: 0, dataBytes: 0 };
  const sink = {
    data: (bytes, start, end) => {
      counts.events++;
      counts.dataBytes += end - start;
    },
    command: () => {
      counts.events++;
    },
    negotiation: () => {
      counts.events++;
    },
    subnegotiation: (option, payload) => {
      counts.events++;
      counts.dataBytes += payload.length;
    },
    warning: () => {
      counts.events++;
    },
  };
  return () => {
    const decoder = createDecoder();
    for (const chunk of chunks) decodeInto(decoder, chunk, sink);
  };
};

const operator = (chunks) => {
  const { emit } = counting();
  return () => {
    from(chunks).pipe(decodeTelnet()).subscribe({ next: emit });
  };
};

const fmt = (n, digits = 0) => (n === undefined ? '-' : n.toFixed(digits));
const verdict = (ratio, target) =>
  target === undefined
    ? ''
    : ratio === undefined
      ? `n/a (>=${target}x)`
      : `${ratio >= target ? 'PASS' : 'MISS'} >=${target}x`;

console.log(
  `node ${process.version}, ${CHUNK / 1024} KiB chunks, ${reps} reps of >= ${minSeconds} s, best of reps (both sides)`,
);
ensureCorpus();
let libtelnetAvailable = true;
/** { measure, corpus, rate, baseline, baselineRate, baselineRates } */
const results = [];
for (const name of corpora) {
  const file = readFileSync(join(corpusDir, `${name}.bin`)); // a Buffer, as node:net delivers
  const chunks = [];
  for (let off = 0; off < file.length; off += CHUNK) chunks.push(file.subarray(off, off + CHUNK));
  const plain = chunks.map((chunk) => new Uint8Array(chunk)); // as a WebSocket delivers
  const rows = [
    ['decodeTelnet, Buffers', operator(chunks)],
    ['decodeTelnet, plain Uint8Array', operator(plain)],
    ['decodeInto, Buffers', intoDecoder(chunks)],
    ['decodeInto, plain Uint8Array', intoDecoder(plain)],
    ['decodeChunk, Buffers', chunkDecoder(chunks)],
  ].map(([measure, pass]) => ({ measure, pass, rate: 0 }));
  for (const { pass } of rows) {
    pass(); // warm-up
    pass();
  }
  const libRates = [];
  for (let rep = 0; rep < reps; rep++) {
    if (libtelnetAvailable) {
      const rate = libtelnetRep(name);
      if (rate === undefined) {
        libtelnetAvailable = false;
        console.log('libtelnet baseline unavailable (needs cc and libtelnet-dev): showing our figures only');
      } else {
        libRates.push(rate);
      }
    }
    for (const row of rows) row.rate = Math.max(row.rate, timedRep(file.length, row.pass));
  }
  for (const { measure, rate } of rows) {
    results.push({
      measure,
      corpus: name,
      rate,
      baseline: 'libtelnet',
      baselineRate: libtelnetAvailable ? Math.max(...libRates) : undefined,
      baselineRates: libtelnetAvailable ? libRates : undefined,
    });
  }
}
if (process.env.BENCH_NODE !== '0') results.push(...(await nodeBenches(corpusDir)));

const order = Object.keys(targets);
results.sort((a, b) => order.indexOf(a.measure) - order.indexOf(b.measure));
const header = ['measure', 'corpus', 'MB/s', 'baseline', 'baseline MB/s', 'ratio', 'target'];
const rows = results.map(({ measure, corpus, rate, baseline, baselineRate }) => {
  const ratio = baselineRate === undefined ? undefined : rate / baselineRate;
  return [
    measure,
    corpus,
    fmt(rate),
    baseline,
    fmt(baselineRate),
    fmt(ratio, 2),
    verdict(ratio, targets[measure]?.[corpus]),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
console.log();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(row));
console.log();
// How much the baselines moved during the run: a ratio near its target is read against this.
const spreads = new Map();
for (const { baseline, corpus, baselineRates } of results) {
  if (baselineRates === undefined || baselineRates.length === 0) continue;
  spreads.set(`${baseline}, ${corpus}`, `${fmt(Math.min(...baselineRates))}-${fmt(Math.max(...baselineRates))}`);
}
if (spreads.size > 0) {
  console.log('Baselines, slowest to fastest of their reps (MB/s):');
  for (const [which, spread] of spreads) console.log(`  ${which}: ${spread}`);
  console.log();
}
console.log(
  'Decoders: 16 KiB chunks of the corpus, as Buffers (node:net: their indexOf is memchr) or as plain Uint8Array',
);
console.log('copies (a WebSocket); libtelnet decodes the same chunks. Loopback: see bench/node-bench.mjs.');
