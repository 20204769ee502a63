// Times the two MCCP engines on MUD-like traffic: 4 MiB of room text that a server compresses write by write
// (a sync flush every write, as MUD servers do), inflated as it arrives (one chunk per flushed write, and again
// in 1,460-byte segments), and compressed back write by write. Run `npm run build` first.
// `node bench/compression.mjs` prints MB/s of inflated text for each engine (the best of 5 runs).
import { constants, createDeflate } from 'node:zlib';
import { portableCompression } from '../dist/index.js';
import { nodeCompression } from '../dist/node/index.js';

const words = ['You see', 'a', 'dragon', 'north', 'the', 'gold coins', 'HP: 42/42', '\x1b[1;31m', '\x1b[0m', '\r\n'];
const writes = [];
let size = 0;
for (let turn = 0; size < 4 * 1024 * 1024; turn++) {
  const length = 40 + ((turn * 7919) % 600);
  let text = '';
  for (let at = 0; text.length < length; at++) text += `${words[(turn * 31 + at * 17) % words.length]} `;
  const bytes = Buffer.from(text, 'latin1');
  writes.push(bytes);
  size += bytes.length;
}

/** The server side: node:zlib, Z_SYNC_FLUSH after every write. */
const serverStream = () =>
  new Promise((resolve) => {
    const engine = createDeflate({ flush: constants.Z_SYNC_FLUSH });
    const pieces = [];
    engine.on('data', (piece) => pieces.push(piece));
    let left = writes.length;
    for (const bytes of writes) engine.write(bytes, () => --left === 0 && resolve(pieces));
  });

const inflateAll = (engine, chunks) =>
  new Promise((resolve, reject) => {
    let inflated = 0;
    const inflater = engine.inflater(
      {
        data: (bytes) => {
          inflated += bytes.length;
          if (inflated === size) resolve();
        },
        end: () => reject(new Error('the stream ended early')),
        error: reject,
      },
      { maxRatio: Infinity },
    );
    for (const chunk of chunks) inflater.write(chunk);
  });

const deflateAll = (engine) =>
  new Promise((resolve, reject) => {
    const deflater = engine.deflater({ data: () => undefined, end: resolve, error: reject });
    for (const bytes of writes) deflater.write(bytes);
    deflater.end();
  });

const best = async (run) => {
  let fastest = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return fastest;
};

const pieces = await serverStream();
const wire = Buffer.concat(pieces);
const segments = [];
for (let at = 0; at < wire.length; at += 1460) segments.push(wire.subarray(at, at + 1460));
const mbps = (ms) => `${(size / 1024 / 1024 / (ms / 1000)).toFixed(1)} MB/s`;
console.log(`${(size / 1024 / 1024).toFixed(1)} MiB of text in ${writes.length} writes, ${wire.length} B compressed`);
for (const [name, engine] of [
  ['nodeCompression', nodeCompression],
  ['portableCompression', portableCompression],
]) {
  const perWrite = await best(() => inflateAll(engine, pieces));
  const perSegment = await best(() => inflateAll(engine, segments));
  const deflating = await best(() => deflateAll(engine));
  console.log(
    `${name}: inflate ${mbps(perWrite)} (a chunk per write), ${mbps(perSegment)} (1460 B segments); deflate ${mbps(deflating)}`,
  );
}
