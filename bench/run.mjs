#!/usr/bin/env node
// Decoder throughput of rxtelnet against libtelnet (C), measured in the same run.
// Usage: npm run bench   (= npm run build && node bench/run.mjs)
// Env: BENCH_SCALE (corpus size factor, default 1), BENCH_REPS (default 5), BENCH_MIN_SECONDS (per rep, default 0.5),
//      BENCH_ONLY (e.g. "mud dense").
// Both sides report the best of their reps, libtelnet measured right before ours on each corpus.
// Always exits 0: it reports PASS or MISS per target.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from } from 'rxjs';
import { createDecoder, decodeChunk } from '../dist/codec/parser.js';
import { decodeTelnet } from '../dist/operators/decodeTelnet.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, 'corpus');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const reps = Number(process.env.BENCH_REPS ?? 5);
const minSeconds = Number(process.env.BENCH_MIN_SECONDS ?? 0.5);
const CHUNK = 16 * 1024;
const corpora = (process.env.BENCH_ONLY ?? 'bulk mud binary dense').split(/\s+/).filter(Boolean);
/** Minimum ratio to libtelnet: [pure decoder, operator]. */
const targets = { bulk: [5, undefined], mud: [1.5, undefined], binary: [1.5, undefined], dense: [1, 0.5] };

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

/** libtelnet's figures for the given corpora, by corpus name (empty when it cannot be built). */
const libtelnetBaseline = (names) => {
  const run = spawnSync(
    'bash',
    [join(here, 'libtelnet-baseline.sh'), corpusDir, String(CHUNK), String(reps), String(minSeconds)],
    { encoding: 'utf8', env: { ...process.env, ONLY: names.join(' ') } },
  );
  const results = new Map();
  for (const line of (run.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const result = JSON.parse(line);
    // best of its reps, like ours: the least disturbed by other processes on a shared machine
    results.set(result.corpus.replace(/\.bin$/, ''), { ...result, mbps: Math.max(...result.reps) });
  }
  if (results.size === 0 && run.stderr) console.log(run.stderr.trim().split('\n').slice(-3).join('\n'));
  return results;
};

/** Runs `pass` repeatedly for `minSeconds`, `reps` times; returns the best rate in MB/s. */
const measure = (bytes, pass) => {
  pass(); // warm-up
  pass();
  const rates = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    let passes = 0;
    let t;
    do {
      pass();
      passes++;
      t = performance.now();
    } while (t - t0 < minSeconds * 1000);
    rates.push((passes * bytes) / ((t - t0) / 1000) / 1e6);
  }
  return Math.max(...rates);
};

const counting = () => {
  const counts = { events: 0, dataBytes: 0 };
  const emit = (event) => {
    counts.events++;
    if (event._tag === 'Data') counts.dataBytes += event.bytes.length;
  };
  return { counts, emit };
};

const pureDecoder = (chunks) => {
  const { counts, emit } = counting();
  const pass = () => {
    const decoder = createDecoder();
    for (const chunk of chunks) decodeChunk(decoder, chunk, emit);
  };
  return { counts, pass };
};

const operator = (chunks) => {
  const { counts, emit } = counting();
  const pass = () => {
    from(chunks).pipe(decodeTelnet()).subscribe({ next: emit });
  };
  return { counts, pass };
};

const fmt = (n, digits = 0) => (n === undefined ? '-' : n.toFixed(digits));
const verdict = (ratio, target) =>
  target === undefined
    ? ''
    : ratio === undefined
      ? `(>=${target}x: n/a)`
      : `${ratio >= target ? 'PASS' : 'MISS'} >=${target}x`;

console.log(
  `node ${process.version}, ${CHUNK / 1024} KiB chunks, ${reps} reps of >= ${minSeconds} s, best of reps (both sides)`,
);
ensureCorpus();
let libtelnetAvailable = true;
const rows = [];
for (const name of corpora) {
  // libtelnet is measured right before ours on each corpus, so both see the same machine load.
  const baseline = libtelnetAvailable ? libtelnetBaseline([name]) : new Map();
  if (baseline.size === 0 && libtelnetAvailable) {
    libtelnetAvailable = false;
    console.log('libtelnet baseline unavailable (needs cc and libtelnet-dev): showing our figures only');
  }
  const file = readFileSync(join(corpusDir, `${name}.bin`)); // a Buffer, as node:net delivers
  const chunks = [];
  for (let off = 0; off < file.length; off += CHUNK) chunks.push(file.subarray(off, off + CHUNK));
  const plain = chunks.map((chunk) => new Uint8Array(chunk));
  const lib = baseline.get(name)?.mbps;
  const pure = pureDecoder(chunks);
  const pureRate = measure(file.length, pure.pass);
  const plainRate = measure(file.length, pureDecoder(plain).pass);
  const op = operator(chunks);
  const opRate = measure(file.length, op.pass);
  const [pureTarget, opTarget] = targets[name] ?? [];
  const ratio = (rate) => (lib === undefined ? undefined : rate / lib);
  rows.push([
    name,
    fmt(lib),
    fmt(pureRate),
    fmt(ratio(pureRate), 2),
    verdict(ratio(pureRate), pureTarget),
    fmt(opRate),
    fmt(ratio(opRate), 2),
    verdict(ratio(opRate), opTarget),
    fmt(plainRate),
    fmt(ratio(plainRate), 2),
  ]);
}
const header = [
  'corpus',
  'libtelnet MB/s',
  'decodeChunk MB/s',
  'ratio',
  'target',
  'decodeTelnet MB/s',
  'ratio',
  'target',
  'decodeChunk on plain Uint8Array MB/s',
  'ratio',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
console.log();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(row));
console.log();
console.log('Chunks are Buffers as node:net delivers them (their indexOf is memchr); the last columns feed plain');
console.log('Uint8Array copies, as a WebSocket would, for information (no target).');
