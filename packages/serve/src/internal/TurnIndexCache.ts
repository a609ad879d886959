/**
 * Where turn indexes live: in the store's database (`@rollout/store/TurnOffsets`, one row per
 * turn), so a restarted server opens a long thread at once, reading only the rows of the turns a
 * page shows; and the last few built or extended here in memory, so a live thread is followed
 * without reading its rows back. A file whose size and time are as indexed is used as is; one that
 * grew is indexed on from near its end (`TurnIndexer.extend`); one that shrank or whose first bytes
 * changed is indexed again whole. Requests for one file while it is indexed share the work.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import type * as Store from "@rollout/store/Store"
import * as TurnOffsets from "@rollout/store/TurnOffsets"
import type * as TurnIndex from "./TurnIndex.js"
import * as TurnIndexer from "./TurnIndexer.js"
import * as TurnPages from "./TurnPages.js"

/** The rows' format: a row of another version is indexed again. */
const VERSION = 2
const HEAD = 512
const KEEP = 4

/** `<bytes>:<hash>` of the file's first bytes (up to 512, no further than `upTo`). */
const head = async (path: string, upTo: number): Promise<string> => {
  const n = Math.min(HEAD, upTo)
  const handle = await fs.promises.open(path, "r")
  try {
    const buf = Buffer.alloc(n)
    const { bytesRead } = await handle.read(buf, 0, n, 0)
    return `${bytesRead}:${createHash("sha256").update(buf.subarray(0, bytesRead)).digest("base64url").slice(0, 22)}`
  } finally {
    await handle.close()
  }
}

const sameHead = async (path: string, stored: string): Promise<boolean> => {
  const n = Number(stored.slice(0, stored.indexOf(":")))
  return (await head(path, n)) === stored
}

interface FileState {
  readonly end: number
  readonly line: number
  readonly mtimeMs: number
  readonly open: boolean
  readonly touches: TurnIndex.Index["touches"]
  readonly early: TurnIndex.Use | null
  readonly metadata: TurnIndex.Index["metadata"]
  readonly count: number
  readonly sums: TurnIndex.Sums
}

type TurnState = Omit<TurnIndex.Turn, "offset" | "line">

const turnOf = (r: TurnOffsets.TurnRow): TurnIndex.Turn => ({ ...(JSON.parse(r.state) as TurnState), offset: r.offset, line: r.line })

const encode = (ix: TurnIndex.Index, paged: TurnIndex.Paged, from: number) => {
  const state: FileState = {
    end: ix.end,
    line: ix.line,
    mtimeMs: ix.mtimeMs,
    open: ix.open,
    touches: ix.touches,
    early: ix.early,
    metadata: ix.metadata,
    count: paged.count,
    sums: paged.sums
  }
  return {
    file: { path: ix.path, version: VERSION, head: ix.head, size: ix.size, state: JSON.stringify(state) },
    turns: ix.turns.slice(from).map(({ offset, line, ...rest }, i) => ({ n: from + i, offset, line, state: JSON.stringify(rest satisfies TurnState) }))
  }
}

interface Held {
  readonly size: number
  readonly mtimeMs: number
  readonly paged: TurnIndex.Paged
  /** The whole index, when built or extended here (a stored one is read a page at a time). */
  readonly index?: TurnIndex.Index
}

export const make = (store: Store.Store, report: (text: string) => void) => {
  const memory = new Map<string, Held>()
  const running = new Map<string, Promise<TurnIndex.Paged>>()
  /** Whole passes under way, and how far each has read. */
  const passes = new Map<string, { readonly progress: TurnIndexer.Progress; readonly size: number }>()
  const failed = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly error: TurnIndexer.Unindexable }>()

  const remember = (path: string, held: Held): TurnIndex.Paged => {
    memory.delete(path)
    memory.set(path, held)
    while (memory.size > KEEP) memory.delete(memory.keys().next().value as string)
    return held.paged
  }

  const warn = (what: string, e: unknown) => report(`rollout serve: ${what}: ${e instanceof Error ? e.message : String(e)}\n`)

  /** The stored index of `path` as pages read it, its rows read as they are asked for. */
  const stored = (path: string): (Held & { readonly head: string }) | undefined => {
    try {
      const row = TurnOffsets.file(store.database, path)
      if (row === undefined || row.version !== VERSION) return undefined
      const s = JSON.parse(row.state) as FileState
      const paged: TurnIndex.Paged = {
        path,
        mtimeMs: s.mtimeMs,
        count: s.count,
        open: s.open,
        touches: s.touches,
        metadata: s.metadata,
        sums: s.sums,
        turns: (from, to) => TurnOffsets.range(store.database, path, from, to).map(turnOf)
      }
      return { size: row.size, mtimeMs: s.mtimeMs, paged, head: row.head }
    } catch (e) {
      warn(`turn index of ${path}`, e)
      return undefined
    }
  }

  /** The whole stored index (to extend it). */
  const whole = (path: string): TurnIndex.Index | undefined => {
    const rows = TurnOffsets.load(store.database, path)
    if (rows === undefined || rows.file.version !== VERSION) return undefined
    const { count: _count, sums: _sums, ...s } = JSON.parse(rows.file.state) as FileState
    return { path, head: rows.file.head, size: rows.file.size, ...s, turns: rows.turns.map(turnOf) }
  }

  const keep = (index: TurnIndex.Index, from: number): TurnIndex.Paged => {
    const paged = TurnPages.inMemory(index)
    const { file, turns } = encode(index, paged, from)
    try {
      TurnOffsets.save(store.database, file, from, turns)
    } catch (e) {
      // A read-only or busy index only costs the next server a new pass.
      warn(`could not keep the turn index of ${index.path}`, e)
    }
    return remember(index.path, { size: index.size, mtimeMs: index.mtimeMs, paged, index })
  }

  const refresh = async (path: string): Promise<TurnIndex.Paged> => {
    const stat = await fs.promises.stat(path)
    const same = (h: { size: number; mtimeMs: number }) => h.size === stat.size && h.mtimeMs === stat.mtimeMs
    const failure = failed.get(path)
    if (failure !== undefined && same(failure)) throw failure.error
    try {
      return await indexed(path, stat, same)
    } catch (e) {
      // A file the index cannot follow is not read through again until it changes.
      if (e instanceof TurnIndexer.Unindexable) failed.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, error: e })
      throw e
    }
  }

  const indexed = async (path: string, stat: fs.Stats, same: (h: { size: number; mtimeMs: number }) => boolean): Promise<TurnIndex.Paged> => {
    const held = memory.get(path)
    if (held !== undefined && same(held)) return remember(path, held)
    const row = held === undefined ? stored(path) : undefined
    if (row !== undefined && same(row)) return remember(path, row)
    const known = held?.index ?? (row === undefined ? undefined : whole(path))
    const file = { path, size: stat.size, mtimeMs: stat.mtimeMs, head: await head(path, stat.size) }
    if (known !== undefined && stat.size >= known.end && (await sameHead(path, known.head))) {
      const grown = await TurnIndexer.extend(known, { ...file, head: known.head })
      return keep(grown.index, grown.from)
    }
    const progress: TurnIndexer.Progress = { read: 0 }
    passes.set(path, { progress, size: stat.size })
    try {
      return keep(await TurnIndexer.build(file, {}, progress), 0)
    } finally {
      passes.delete(path)
    }
  }

  /** Whether `path` has an index here or stored that is current or only needs reading on from near its end. */
  const near = (path: string, size: number): boolean => {
    const held = memory.get(path)
    if (held !== undefined) return held.size <= size
    try {
      const row = TurnOffsets.file(store.database, path)
      return row !== undefined && row.version === VERSION && row.size <= size
    } catch {
      return false
    }
  }

  /**
   * The index of `path` now when it can be had without a whole pass over a file of `large` bytes or
   * more; otherwise that pass starts (or goes on) in the background and how far it has read is told.
   */
  const peek = async (path: string, large: number): Promise<Peek> => {
    const pass = passes.get(path)
    if (pass !== undefined) return { _tag: "Building", read: pass.progress.read, size: pass.size }
    const stat = await fs.promises.stat(path)
    if (stat.size < large || near(path, stat.size) || failed.has(path)) return { _tag: "Ready", paged: await get(path) }
    get(path).catch((e) => {
      if (!(e instanceof TurnIndexer.Unindexable || e instanceof TurnIndexer.Cancelled)) warn(`turn index of ${path}`, e)
    })
    return { _tag: "Building", read: 0, size: stat.size }
  }

  /** The current index of `path` (a plain JSONL file); throws `TurnIndexer.Unindexable` when there is none to have. */
  const get = (path: string): Promise<TurnIndex.Paged> => {
    const busy = running.get(path)
    if (busy !== undefined) return busy
    const p = refresh(path).finally(() => running.delete(path))
    running.set(path, p)
    return p
  }
  /** Stops the passes under way (the server is closing: nothing is kept from them). */
  const close = () => {
    for (const pass of passes.values()) pass.progress.cancelled = true
  }
  return { get, peek, close }
}

/** An index to page with, or how far the whole pass that builds it has read. */
export type Peek = { readonly _tag: "Ready"; readonly paged: TurnIndex.Paged } | { readonly _tag: "Building"; readonly read: number; readonly size: number }

export type Cache = ReturnType<typeof make>
