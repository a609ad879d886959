/**
 * The append-only writer of a rollout file: lines go to the end of the file and nowhere else, and
 * `append` resolves only once they are durable (written and `fdatasync`ed), so whoever publishes an
 * event after `append` never shows a line that a crash could take back. It does not encode lines
 * (callers pass finished JSON text, see `RolloutCodec.encode`) and it never rewrites a byte.
 *
 * A file torn by an earlier crash (last line without its newline) is repaired on open by writing
 * the missing newline first: the torn fragment stays one bad line that readers report, and every
 * new line stays whole instead of being glued onto it.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"

export type Durability = "fsync" | "none"

export interface Options {
  /** `fsync` (default): `append` resolves after `fdatasync`. `none`: after the write (tests, benchmarks). */
  readonly durability?: Durability
}

export interface Writer {
  readonly path: string
  /** Appends each text as one line (a newline is added); resolves when durable. Calls are serialised in call order. */
  readonly append: (texts: ReadonlyArray<string>) => Promise<void>
  /** Waits for pending appends, then closes the file. */
  readonly close: () => Promise<void>
}

/** A line must not contain a newline: it would become two lines in the file. */
export class LineBreakInLine extends Error {
  readonly _tag = "LineBreakInLine"
  constructor(readonly path: string) {
    super(`${path}: refusing to append text containing a newline (it would become two lines)`)
  }
}

const endsTorn = async (handle: fs.promises.FileHandle): Promise<boolean> => {
  const { size } = await handle.stat()
  if (size === 0) return false
  const last = Buffer.alloc(1)
  await handle.read(last, 0, 1, size - 1)
  return last[0] !== 0x0a
}

/** Opens `path` for appending, creating it (and its folders) if missing. */
export const open = async (path: string, options: Options = {}): Promise<Writer> => {
  const durability = options.durability ?? "fsync"
  await fs.promises.mkdir(nodePath.dirname(path), { recursive: true })
  const handle = await fs.promises.open(path, "a+")
  let tail: Promise<void> = (await endsTorn(handle)) ? handle.write("\n").then(() => undefined) : Promise.resolve()
  let closed = false
  let failure: Error | undefined

  const write = async (texts: ReadonlyArray<string>) => {
    const data = Buffer.from(texts.map((t) => `${t}\n`).join(""), "utf8")
    let written = 0
    while (written < data.length) {
      const { bytesWritten } = await handle.write(data, written, data.length - written)
      written += bytesWritten
    }
    if (durability === "fsync") await handle.datasync()
  }

  return {
    path,
    append: (texts) => {
      if (closed) return Promise.reject(new Error(`${path}: writer is closed`))
      if (texts.some((t) => t.includes("\n"))) return Promise.reject(new LineBreakInLine(path))
      if (texts.length === 0) return tail
      const next = tail.then(() => {
        if (failure !== undefined) throw failure
        return write(texts)
      })
      // After a failed write the end of the file is unknown (maybe half a line): refuse to append
      // more rather than glue the next line onto a fragment. Reopening repairs it.
      tail = next.catch((e: unknown) => {
        failure ??= e instanceof Error ? e : new Error(String(e))
      })
      return next
    },
    close: async () => {
      if (closed) return
      closed = true
      await tail
      await handle.close()
    }
  }
}
