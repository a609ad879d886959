/**
 * An answer written in pieces (`history --json`'s turns, an export's document): small pieces are
 * gathered into writes of about `WRITE_BYTES` characters, since a write per turn would cost more
 * than the turns (most are a few hundred bytes), and the whole text is never one string. A piece
 * that long by itself is written alone: joined to the gathered text, a turn holding a 200 MB
 * message would be copied once more when the joined text is flattened for the write. It is not a
 * stream: it holds no buffer.
 */

/** Characters gathered before each write. */
export const WRITE_BYTES = 1 << 16

export interface PieceWriter {
  /** Takes the next piece of the answer. */
  readonly put: (part: string) => void
  /** Writes what is gathered, then `last`. */
  readonly end: (last: string) => void
}

/** A writer to `out`, its text starting with `first`. */
export const make = (out: (text: string) => void, first = ""): PieceWriter => {
  let pending = first
  return {
    put: (part) => {
      if (part.length >= WRITE_BYTES) {
        if (pending !== "") out(pending)
        pending = ""
        out(part)
        return
      }
      pending += part
      if (pending.length >= WRITE_BYTES) {
        out(pending)
        pending = ""
      }
    },
    end: (last) => out(`${pending}${last}`)
  }
}
