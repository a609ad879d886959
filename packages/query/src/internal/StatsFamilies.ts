/**
 * The order a stats lane reads files in: a legacy fork after its parent, in the same lane. A fork
 * copies its parent's history, and a copied line of a parent this thread has read already need
 * not be parsed again (`StatsCopyBytes.vouch`); a fork read first, or in another thread, parses
 * its whole copy. Which thread a file forks from is read from the first bytes of its first line
 * (its `session_meta`): a guess that only orders the work. Getting it wrong (an odd first line, a
 * parent id further in) costs time, never exactness: the fork's reader finds its parent itself.
 */
import * as fs from "node:fs"

/** How much of a file's start is searched for its parent's id: Codex writes it near the front. */
const HEAD_BYTES = 8 << 10
const FORKED_FROM = '"forked_from_id":"'
const ID_LENGTH = 36

/** The thread id a rollout file says it forks from, by a look at its first bytes; undefined if none is found. */
export const forkedFrom = (path: string): string | undefined => {
  let fd: number | undefined
  try {
    fd = fs.openSync(path, "r")
    const head = Buffer.allocUnsafe(HEAD_BYTES)
    const n = fs.readSync(fd, head, 0, HEAD_BYTES, 0)
    const text = head.toString("latin1", 0, n)
    const lf = text.indexOf("\n")
    const at = text.indexOf(FORKED_FROM)
    if (at < 0 || (lf >= 0 && at > lf)) return undefined
    const from = at + FORKED_FROM.length
    const id = text.slice(from, from + ID_LENGTH)
    return id.length === ID_LENGTH && text[from + ID_LENGTH] === '"' ? id.toLowerCase() : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/**
 * Groups the files to read (`order`: indices into `paths`, in the order they would be taken) into
 * families, each a parent before its forks (and theirs), found among `order` through `index` (the
 * inputs' files by thread id). Families keep the place of their first file in `order`, once their
 * sizes are summed: the largest family first, as `order` puts the largest file first.
 */
export const families = (
  paths: ReadonlyArray<string>,
  order: ReadonlyArray<number>,
  index: Readonly<Record<string, ReadonlyArray<string>>>,
  size: ReadonlyArray<number>,
  parentOf: (path: string) => string | undefined = forkedFrom
): Array<Array<number>> => {
  const at = new Map<string, number>()
  for (const i of order) at.set(paths[i] as string, i)
  /** The file each file is read after: the last file of its parent thread among those to read. */
  const after = new Map<number, number>()
  const among = (ps: ReadonlyArray<string>): Array<number> => ps.flatMap((p) => at.get(p) ?? [])
  // A thread's later segments after its earlier ones: a fork's parent may be any of them.
  for (const ps of Object.values(index)) {
    const own = among(ps)
    for (let k = 1; k < own.length; k++) after.set(own[k] as number, own[k - 1] as number)
  }
  for (const i of order) {
    if (after.has(i)) continue
    const id = parentOf(paths[i] as string)
    const last =
      id === undefined
        ? undefined
        : among(index[id] ?? [])
            .filter((j) => j !== i)
            .pop()
    if (last !== undefined) after.set(i, last)
  }
  const rootOf = (i: number): number => {
    const seen = new Set<number>()
    let r = i
    for (let p = after.get(r); p !== undefined && !seen.has(p); p = after.get(r)) {
      seen.add(r)
      r = p
    }
    return r
  }
  const depthOf = (i: number): number => {
    let d = 0
    const seen = new Set<number>([i])
    for (let p = after.get(i); p !== undefined && !seen.has(p); p = after.get(p)) {
      seen.add(p)
      d++
    }
    return d
  }
  const groups = new Map<number, Array<number>>()
  for (const i of order) {
    const r = rootOf(i)
    const g = groups.get(r)
    if (g === undefined) groups.set(r, [i])
    else g.push(i)
  }
  const rank = new Map<number, number>(order.map((i, k) => [i, k]))
  const total = (g: ReadonlyArray<number>) => g.reduce((a, i) => a + (size[i] ?? 0), 0)
  const out = [...groups.values()].map((g) => g.sort((a, b) => depthOf(a) - depthOf(b) || (rank.get(a) as number) - (rank.get(b) as number)))
  return out.sort((a, b) => total(b) - total(a) || (rank.get(a[0] as number) as number) - (rank.get(b[0] as number) as number))
}
