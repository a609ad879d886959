/**
 * A file on disk as a sequence of 1 MiB chunks, read ahead: while the caller works on one chunk,
 * the next is read into a second buffer, so a fold does not wait for the disk (or the page cache
 * copy) between chunks. A chunk's memory is reused once the caller asks for the one after the
 * next. Plain `node:fs` with no other import, so a worker thread can load it at once; `Files.node`
 * serves it as its `chunks`.
 *
 * `readBlocking` is the same sequence read with blocking calls, for a thread that has nothing else
 * to do while it waits (a statistics lane): on a busy machine each awaited read, open and close
 * waits for a turn of the event loop and of libuv's thread pool, which costs more than the copy
 * out of the page cache it waits for.
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

/**
 * Chunk buffers kept between files: a fresh 1 MiB buffer is fresh memory from the system, and
 * faulting its pages in cost more than the read itself (5x, reading a home of 3 MiB files). Only
 * the blocking reader reuses them: its callers (the framer) are done with a chunk when they ask
 * for the next, so its buffers can go back as soon as the file is done.
 */
const spare: Array<Buffer> = []
const SPARE_MAX = 8
const take = (): Buffer => spare.pop() ?? Buffer.allocUnsafe(CHUNK)
const give = (...bufs: Array<Buffer>): void => {
  for (const b of bufs) if (spare.length < SPARE_MAX) spare.push(b)
}

/** Like `read`, with blocking reads and pooled buffers. */
export async function* readBlocking(path: string): AsyncGenerator<Uint8Array> {
  const fd = fs.openSync(path, "r")
  // Two buffers: the caller may still hold the previous chunk while it asks for the next.
  let current = take()
  let next = take()
  let position = 0
  try {
    for (;;) {
      const bytesRead = fs.readSync(fd, current, 0, CHUNK, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield current.subarray(0, bytesRead)
      ;[current, next] = [next, current]
    }
  } finally {
    fs.closeSync(fd)
    give(current, next)
  }
}
