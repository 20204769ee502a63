/**
 * Joins the data runs the decoder passes for one chunk, so that a connection emits one piece of data per chunk
 * (between two other events) rather than one per line: in NVT mode every `CR LF` ends a run, in binary data every
 * escaped IAC does.
 *
 * @internal Not part of the package's public exports.
 */

/**
 * The data run being built: runs that follow each other in the same array stay one view of it (no copy); a run
 * with bytes between it and the one before (a dropped CR, the second IAC of a pair) is joined in an array of our
 * own. The first join copies the rest of the chunk there in one go (decoding never makes data longer, so it fits);
 * each run after it is then moved down to the end of the one before (`copyWithin`, no view to make). A chunk costs
 * at most one allocation and one copy, however many runs it holds. What {@link DataRuns.take} returns is the
 * caller's to keep: a view of the chunk, or of our array, whose part is never written again.
 */
export class DataRuns {
  /** The array the run is in (a chunk, or `joined`), or undefined when there is no run. */
  private bytes: Uint8Array | undefined;
  private start = 0;
  private end = 0;
  /** Where runs are joined; written from `joinedFree` on only, so that the views taken before stay intact. */
  private joined = new Uint8Array(0);
  private joinedFree = 0;
  /** `joined` holds `mirror[mirrorFrom...]` from `mirrorAt` on (where it was not written over since). */
  private mirror: Uint8Array | undefined;
  private mirrorFrom = 0;
  private mirrorAt = 0;

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
    if (bytes === this.joined) this.joinedFree = this.end;
    // A view made on the buffer: `subarray` of a Node Buffer would make a Buffer (and go through its species).
    return new Uint8Array(bytes.buffer, bytes.byteOffset + this.start, this.end - this.start);
  }

  /** Moves the run to `joined` (unless it is there), then `bytes[start, end)` right after it. */
  private join(bytes: Uint8Array, start: number, end: number): void {
    const run = this.bytes;
    if (run === undefined) return;
    if (run !== this.joined) {
      const length = this.end - this.start;
      if (run !== this.mirror || this.mirrored(this.start) < this.joinedFree) {
        this.mirrorRest(run, this.start, this.joinedFree, 0);
      }
      this.move(this.mirrored(this.start), this.joinedFree, length);
      this.bytes = this.joined;
      this.start = this.joinedFree;
      this.end = this.start + length;
    }
    if (bytes !== this.mirror) this.mirrorRest(bytes, start, this.end, this.end - this.start);
    this.move(this.mirrored(start), this.end, end - start);
    this.bytes = this.joined; // a new one when the rest did not fit
    this.end += end - start;
  }

  /** Where `mirror[index]` is in `joined`. */
  private mirrored(index: number): number {
    return this.mirrorAt + index - this.mirrorFrom;
  }

  /**
   * Copies `source[from...]` to `joined` at `at`; when it does not fit, to a new array, with the `kept` bytes of
   * `joined` before `at` (the run so far) moved to its start.
   */
  private mirrorRest(source: Uint8Array, from: number, at: number, kept: number): void {
    const rest = source.length - from;
    let to = at;
    if (at + rest > this.joined.length) {
      const grown = new Uint8Array(kept + rest);
      grown.set(this.joined.subarray(at - kept, at));
      if (this.bytes === this.joined) this.start = 0;
      this.end = kept;
      this.joined = grown;
      this.joinedFree = 0;
      to = kept;
    }
    this.joined.set(new Uint8Array(source.buffer, source.byteOffset + from, rest), to);
    this.mirror = source;
    this.mirrorFrom = from;
    this.mirrorAt = to;
  }

  /** Moves `count` bytes of `joined` from `from` down to `to`. */
  private move(from: number, to: number, count: number): void {
    if (from !== to) this.joined.copyWithin(to, from, from + count);
  }
}
