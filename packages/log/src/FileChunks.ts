/**
 * A file on disk as a sequence of 1 MiB chunks, read ahead: while the caller works on one chunk,
 * the next is read into a second buffer, so a fold does not wait for the disk (or the page cache
 * copy) between chunks. A chunk's memory is reused once the caller asks for the one after the
 * next. Plain `node:fs` with no other import, so a worker thread can load it at once; `Files.node`
 * serves it as its `chunks`.
 */
import * as fs from "node:fs"

export const CHUNK = 1 << 20

export async function* read(path: string): AsyncGenerator<Uint8Array> {
  const handle = await fs.promises.open(path, "r")
  let current = Buffer.allocUnsafe(CHUNK)
  let next = Buffer.allocUnsafe(CHUNK)
  let position = 0
  const readInto = (buf: Buffer) => handle.read(buf, 0, CHUNK, position).then(({ bytesRead }) => ((position += bytesRead), bytesRead))
  let pending: Promise<number> | undefined = readInto(current)
  try {
    for (;;) {
      const bytesRead = await pending
      pending = undefined
      if (bytesRead === 0) return
      pending = readInto(next)
      yield current.subarray(0, bytesRead)
      ;[current, next] = [next, current]
    }
  } finally {
    // A read still in flight must finish before its file is closed.
    if (pending !== undefined) await pending.catch(() => 0)
    await handle.close()
  }
}
