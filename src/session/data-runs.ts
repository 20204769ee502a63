/**
 * Joins the data runs the decoder passes for one chunk, so that a connection emits one piece of data per chunk
 * (between two other events) rather than one per line: in NVT mode every `CR LF` ends a run, in binary data every
 * escaped IAC does.
 *
 * @internal Not part of the package's public exports.
 */

/** Runs up to this length are copied byte by byte: cheaper than making a view to `set` from. */
const SHORT_COPY = 16;

/**
 * The data run being built: runs that follow each other in the same array stay one view of it (no copy); a run
 * with bytes between it and the one before (a dropped CR, the second IAC of a pair) is joined by copying both into
 * an array of our own. That array is sized for the rest of the chunk (decoding never makes data longer), so a chunk
 * costs at most one allocation, however many runs it holds. What {@link DataRuns.take} returns is the caller's to
 * keep: a view of the chunk, or of our array, never written again.
 */
export class DataRuns {
  /** The array the run is in (a chunk, or `joined`), or undefined when there is no run. */
  private bytes: Uint8Array | undefined;
  private start = 0;
  private end = 0;
  /** Where runs are joined; written from `joinedFree` on only, so that the views taken before stay intact. */
  private joined = new Uint8Array(0);
  private joinedFree = 0;
  /** The last source array, with its buffer and offset (the getters are slow on a Node `Buffer`). */
  private source: Uint8Array | undefined;
  private sourceBuffer: ArrayBufferLike = this.joined.buffer;
  private sourceOffset = 0;

  /** Adds `bytes[start, end)` to the run. */
  add(bytes: Uint8Array, start: number, end: number): void {
    if (this.bytes === undefined) {
      this.bytes = bytes;
      this.start = start;
      this.end = end;
    } else if (bytes === this.bytes && start === this.end) {
      this.end = end;
    } else {
      this.join(bytes, start, end);
    }
  }

  /** The run as one array, and a new run begins; undefined when there is none. */
  take(): Uint8Array | undefined {
    const bytes = this.bytes;
    if (bytes === undefined) return undefined;
    this.bytes = undefined;
    if (bytes === this.joined) {
      this.joinedFree = this.end;
      return bytes.subarray(this.start, this.end);
    }
    if (bytes !== this.source) this.remember(bytes);
    return new Uint8Array(this.sourceBuffer, this.sourceOffset + this.start, this.end - this.start);
  }

  /** Copies the run (unless it is in `joined` already) and then `bytes[start, end)` to `joined`. */
  private join(bytes: Uint8Array, start: number, end: number): void {
    const run = this.bytes;
    if (run === undefined) return;
    const length = this.end - this.start;
    const count = end - start;
    const inJoined = run === this.joined;
    const free = inJoined ? this.end : this.joinedFree;
    if (free + count + (inJoined ? 0 : length) > this.joined.length) {
      // Room for the run and everything the rest of this chunk can add.
      const grown = new Uint8Array(length + bytes.length - start);
      this.copy(run, this.start, this.end, grown, 0);
      this.joined = grown;
      this.start = 0;
    } else if (!inJoined) {
      this.copy(run, this.start, this.end, this.joined, free);
      this.start = free;
    }
    this.bytes = this.joined;
    this.end = this.start + length;
    this.copy(bytes, start, end, this.joined, this.end);
    this.end += count;
  }

  private copy(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
    const count = end - start;
    if (count <= SHORT_COPY) {
      for (let k = 0; k < count; k++) to[at + k] = from[start + k] ?? 0;
      return;
    }
    if (from !== this.source) this.remember(from);
    to.set(new Uint8Array(this.sourceBuffer, this.sourceOffset + start, count), at);
  }

  private remember(source: Uint8Array): void {
    this.source = source;
    this.sourceBuffer = source.buffer;
    this.sourceOffset = source.byteOffset;
  }
}
