/**
 * Golden transcripts: what a real peer put on the wire, as captured by spec/interop/capture.ts into
 * spec/fixtures/transcripts/*.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import type { RecordedChunk } from './recorder.js';

/** io-ts codec of one chunk in a transcript file (bytes as lowercase hex). */
export const TranscriptChunk = t.type({
  dir: t.union([t.literal('peer->us'), t.literal('us->peer')]),
  atMs: t.number,
  hex: t.string,
});

/** io-ts codec of a transcript file. */
export const Transcript = t.type({
  /** The program, e.g. `inetutils telnet`. */
  peer: t.string,
  /** Its Debian package and version, e.g. `inetutils-telnet 2:2.4-2+deb12u3`. */
  version: t.string,
  /** Whether the peer was the Telnet `client` or the `server`. */
  role: t.union([t.literal('client'), t.literal('server')]),
  /** How it was captured: what the recorder sent and how the peer was driven. */
  captured: t.string,
  chunks: t.array(TranscriptChunk),
});

/** A decoded transcript file. */
export type Transcript = t.TypeOf<typeof Transcript>;

/** The directory holding the transcript files. */
export const transcriptDir: string = fileURLToPath(new URL('../fixtures/transcripts/', import.meta.url));

/** Converts recorded chunks into transcript chunks. */
export const toTranscriptChunks = (chunks: readonly RecordedChunk[]): Transcript['chunks'] =>
  chunks.map((c) => ({ dir: c.dir, atMs: c.atMs, hex: Buffer.from(c.bytes).toString('hex') }));

/** Parses a transcript file's text; a Left carries the io-ts report. */
export const parseTranscript = (text: string): E.Either<string, Transcript> => {
  const decoded = Transcript.decode(JSON.parse(text));
  return E.isLeft(decoded) ? E.left(PathReporter.report(decoded).join('; ')) : E.right(decoded.right);
};

/** Reads every `*.json` transcript, by file name; throws naming the file when one does not parse. */
export const loadTranscripts = (): ReadonlyMap<string, Transcript> =>
  new Map(
    readdirSync(transcriptDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => {
        const parsed = parseTranscript(readFileSync(transcriptDir + name, 'utf8'));
        if (E.isLeft(parsed)) throw new Error(`${name}: ${parsed.left}`);
        return [name, parsed.right] as const;
      }),
  );

/** Everything the peer sent in a transcript, concatenated. */
export const bytesFromPeer = (transcript: Transcript): Buffer =>
  Buffer.concat(transcript.chunks.filter((c) => c.dir === 'peer->us').map((c) => Buffer.from(c.hex, 'hex')));
