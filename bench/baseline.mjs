// The bare loop every reader figure is measured against: read 1 MiB chunks, cut at LF with
// Buffer.indexOf, JSON.parse each line. No diagnostics, no BOM/CRLF/UTF-8 care.
import * as fs from "node:fs"

export const bareParse = (file, onValue = () => {}) => {
  const fd = fs.openSync(file, "r")
  const buf = Buffer.allocUnsafe(1 << 20)
  let carry = null
  let lines = 0
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null)
    if (n === 0) break
    const chunk = buf.subarray(0, n)
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      if (nl === -1) break
      let text
      if (carry !== null) {
        text = Buffer.concat([carry, chunk.subarray(start, nl)]).toString("utf8")
        carry = null
      } else text = chunk.toString("utf8", start, nl)
      if (text.length > 0) {
        onValue(JSON.parse(text))
        lines++
      }
      start = nl + 1
    }
    if (start < n) carry = carry === null ? Buffer.from(chunk.subarray(start)) : Buffer.concat([carry, chunk.subarray(start)])
  }
  fs.closeSync(fd)
  return lines
}

/**
 * The bare loop over many files in `lanes` lanes, laid out as `rollout stats` lays out its work:
 * this thread plus `lanes - 1` worker threads, each taking the next file when done. It is the
 * baseline of a per-core figure: what the same cores do with the bare loop at the same time
 * (they share caches, memory bandwidth and the page cache, so N lanes do less than N times one).
 */
export const bareParseLanes = async (paths, lanes) => {
  const { Worker } = await import("node:worker_threads")
  let next = 0
  let lines = 0
  const take = () => (next < paths.length ? paths[next++] : undefined)
  const worker = () =>
    new Promise((resolve, reject) => {
      const w = new Worker(new URL("./baseline-worker.mjs", import.meta.url))
      const feed = () => {
        const p = take()
        if (p === undefined) void w.terminate().then(resolve)
        else w.postMessage(p)
      }
      w.on("message", (n) => {
        lines += n
        feed()
      })
      w.on("error", reject)
      feed()
    })
  const here = async () => {
    for (let p = take(); p !== undefined; p = take()) {
      lines += bareParse(p)
      // Let the workers' messages through between files.
      await new Promise((r) => setImmediate(r))
    }
  }
  await Promise.all([here(), ...Array.from({ length: lanes - 1 }, worker)])
  return lines
}
