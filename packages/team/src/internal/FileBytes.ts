/**
 * A file's rollout bytes as the push sends them: what the database does not hold yet, cut into
 * pieces of at most 1 MiB (a reader can start at any piece and never needs a file whole), each
 * deflated when that saves at least a tenth. An append-only rollout whose head is unchanged sends
 * only what grew since its stored end; anything else (a new file, a rewritten head, a compressed or
 * segment file, which is never appended to in place) sends everything and replaces what was there.
 */
import * as fs from "node:fs"
import * as zlib from "node:zlib"
import type { Session } from "../TeamDatabase.js"

export const PIECE = 1 << 20

const STATEMENT_BYTES = 8 << 20

export interface Piece {
  readonly start: number
  readonly length: number
  readonly deflated: boolean
  readonly data: Buffer
}

/** A file's new pieces, from `keep` (what stays stored) to `end` (where the bytes now reach). */
export interface Pending {
  readonly path: string
  readonly keep: number
  readonly end: number
  readonly pieces: ReadonlyArray<Piece>
}

const pack = (start: number, raw: Buffer): Piece => {
  const packed = zlib.deflateRawSync(raw, { level: 6 })
  return packed.length * 10 < raw.length * 9
    ? { start, length: raw.length, deflated: true, data: packed }
    : { start, length: raw.length, deflated: false, data: Buffer.from(raw) }
}

/** Reads `path` from `keep` to `size` (fewer bytes if it shrank meanwhile) as pieces. */
export const read = (path: string, keep: number, size: number): Pending => {
  const pieces: Array<Piece> = []
  const fd = fs.openSync(path, "r")
  const buf = Buffer.allocUnsafe(PIECE)
  let pos = keep
  try {
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(PIECE, size - pos), pos)
      if (n === 0) break
      pieces.push(pack(pos, buf.subarray(0, n)))
      pos += n
    }
  } finally {
    fs.closeSync(fd)
  }
  return { path, keep, end: pos, pieces }
}

/** Back to the bytes a piece holds. */
export const unpack = (p: { readonly deflated: boolean; readonly data: Uint8Array }): Buffer =>
  p.deflated ? zlib.inflateRawSync(p.data) : Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength)

/**
 * Where the stored bytes may be kept: their end when the scan resumed from its stored offset (the
 * head is unchanged, so the bytes before the end are too) and the file still reaches it; else 0.
 */
export const keepFrom = (stored: { readonly bytes_end: number } | undefined, resumed: boolean, size: number): number =>
  stored !== undefined && resumed && stored.bytes_end <= size ? stored.bytes_end : 0

/** Replaces the batch's pieces from each file's `keep` on, in two statements for the whole batch. */
export const write = async (tx: Session, machine: string, files: ReadonlyArray<Pending>): Promise<void> => {
  await tx.query(
    "DELETE FROM file_bytes b USING unnest($2::text[], $3::bigint[]) AS s(path, keep) WHERE b.machine = $1 AND b.path = s.path AND b.start >= s.keep",
    [machine, files.map((f) => f.path), files.map((f) => f.keep)]
  )
  const rows = files.flatMap((f) => f.pieces.map((p) => [f.path, p] as const))
  // A few MiB per statement: array parameters travel as text, so one statement per huge file would not do.
  for (let i = 0; i < rows.length; ) {
    let bytes = 0
    let j = i
    while (j < rows.length && (j === i || bytes < STATEMENT_BYTES)) bytes += (rows[j++] as (typeof rows)[number])[1].data.length
    const part = rows.slice(i, j)
    await tx.query(
      "INSERT INTO file_bytes (machine, path, start, length, deflated, data) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::int[], $5::boolean[], $6::bytea[])",
      [machine, part.map((r) => r[0]), part.map((r) => r[1].start), part.map((r) => r[1].length), part.map((r) => r[1].deflated), part.map((r) => r[1].data)]
    )
    i = j
  }
}
