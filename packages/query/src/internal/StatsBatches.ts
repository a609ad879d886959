/**
 * Where `StatsScan`'s reader ends each batch of a plain `.jsonl` file, told line by line. That
 * reader frames a file in batches (1 MiB read chunks, each cut after the first LF past every
 * 64 KiB) and judges every line of a batch (parse it or skim it) before the fold sees the first
 * of them: so the fold's switch from parsing everything to skimming (after the session meta)
 * takes effect at the next batch. `StatsFastScan` reads lines one by one and asks this where the
 * batches begin, so that it judges each line as that reader would have.
 */
import * as FileChunks from "@rollout/log/FileChunks"

/** The batch size `StatsScan` asks its reader for. */
export const BATCH_BYTES = 64 << 10

export class Cuts {
  /** Where the current batch's bytes start in the file. */
  private start = 0
  /** Where the next batch starts, once the line that ends the current one has been seen. */
  private next = -1

  constructor(
    /** The file's size. */
    private readonly size: number,
    private readonly chunk = FileChunks.CHUNK,
    private readonly batch = BATCH_BYTES
  ) {}

  /** Whether the line whose LF is at file offset `lf` (lines told in order) is in a later batch than the line before. */
  starts(lf: number): boolean {
    let later = false
    if (this.next >= 0) {
      this.start = this.next
      this.next = -1
      later = true
    }
    for (;;) {
      const chunkStart = this.start - (this.start % this.chunk)
      const chunkEnd = Math.min(chunkStart + this.chunk, this.size)
      if (lf >= chunkEnd) {
        // The line is framed once its LF is read, with the first piece of a later chunk.
        this.start = chunkEnd
        later = true
        continue
      }
      // A piece longer than a batch is cut after the first LF at or past `start + batch`: this one.
      if (chunkEnd - this.start > this.batch && lf >= this.start + this.batch) this.next = lf + 1
      return later
    }
  }
}
