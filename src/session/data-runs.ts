/**
 * Joins the data runs the decoder passes for one chunk, so that a connection emits one piece of data per chunk
 * (between two other events) rather than one per run: runs end at every command, and, unless the decoder works in
 * place, at every escaped IAC and every translated newline.
 *
 * @internal Not part of the package's public exports.
 */

/**
 * The data run being built: runs that follow each other in the same array stay one view of it (no copy). A run
 * that does not (bytes between it and the one before, or an array the decoder writes again) is copied, with the
 * run so far, to an array of our own, made once per chunk with room for all of it (decoding never makes data
 * longer than the chunk, plus a CR held from the one before). What {@link DataRuns.take} returns is the caller's
 * to keep: a view of the chunk, or of our array, whose part is never written again.
 */
export class DataRuns {
  /** The array the run is in (a chunk, or `joined`), or undefined when there is no run. */
  private bytes: Uint8Array | undefined;
  private start = 0;
  private end = 0;
  /** Where runs are joined, for the chunk being decoded; written from `joinedFree` on only. */
  private joined: Uint8Array | undefined;
  private joinedFree = 0;
  /** How many bytes the chunk being decoded can still add. */
  private room = 0;

  /** A chunk of `length` bytes is decoded next: what follows can add at most that much (and a held CR). */
  begin(length: number): void {
    this.joined = undefined;
    this.room = length + 1;
  }

  /** Adds `bytes[start, end)` to the run; `copy`: the decoder writes `bytes` again, so the run cannot keep it. */
  add(bytes: Uint8Array, start: number, end: number, copy: boolean): void {
    if (this.bytes === undefined && !copy) {
      this.bytes = bytes;
      this.start = start;
      this.end = end;
    } else if (bytes === this.bytes && start === this.end && !copy) {
      this.end = end;
    } else {
      this.append(bytes, start, end);
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

  /** Copies the run to `joined` (unless it is there), then `bytes[start, end)` right after it. */
  private append(bytes: Uint8Array, start: number, end: number): void {
    const count = end - start;
    const run = this.bytes;
    const length = run === undefined ? 0 : this.end - this.start;
    let joined = this.joined;
    if (run !== joined || joined === undefined) {
      if (joined === undefined || this.joinedFree + length + count > joined.length) {
        joined = new Uint8Array(Math.max(this.room, length + count));
        this.joined = joined;
        this.joinedFree = 0;
      }
      if (run !== undefined)
        joined.set(new Uint8Array(run.buffer, run.byteOffset + this.start, length), this.joinedFree);
      this.bytes = joined;
      this.start = this.joinedFree;
      this.end = this.start + length;
    } else if (this.end + count > joined.length) {
      const grown = new Uint8Array(Math.max(this.room, length + count));
      grown.set(joined.subarray(this.start, this.end));
      this.joined = grown;
      this.joinedFree = 0;
      this.bytes = grown;
      this.start = 0;
      this.end = length;
      joined = grown;
    }
    if (count <= 16) {
      for (let k = 0; k < count; k++) joined[this.end + k] = bytes[start + k] ?? 0;
    } else {
      joined.set(new Uint8Array(bytes.buffer, bytes.byteOffset + start, count), this.end);
    }
    this.end += count;
    this.room -= count;
  }
}
