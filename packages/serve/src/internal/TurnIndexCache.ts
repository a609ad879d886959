/**
 * Where turn indexes live: in the store's database (`@rollout/store/TurnOffsets`, one row per
 * turn), so a restarted server opens a long thread at once, and the last few in memory. A file
 * whose size and time are as indexed is used as is; one that grew is indexed on from near its
 * end (`TurnIndexer.extend`), the server following a live thread; one that shrank or whose first
 * bytes changed is indexed again whole. Requests for one file while it is indexed share the work.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import type * as Store from "@rollout/store/Store"
import * as TurnOffsets from "@rollout/store/TurnOffsets"
import type * as TurnIndex from "./TurnIndex.js"
import * as TurnIndexer from "./TurnIndexer.js"

/** The rows' format: a row of another version is indexed again. */
const VERSION = 1
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
}

type TurnState = Omit<TurnIndex.Turn, "offset" | "line">

const encode = (ix: TurnIndex.Index, from: number): { file: TurnOffsets.FileRow; turns: Array<TurnOffsets.TurnRow> } => {
  const state: FileState = { end: ix.end, line: ix.line, mtimeMs: ix.mtimeMs, open: ix.open, touches: ix.touches, early: ix.early, metadata: ix.metadata }
  return {
    file: { path: ix.path, version: VERSION, head: ix.head, size: ix.size, state: JSON.stringify(state) },
    turns: ix.turns.slice(from).map(({ offset, line, ...rest }, i) => ({ n: from + i, offset, line, state: JSON.stringify(rest satisfies TurnState) }))
  }
}

const decode = (rows: NonNullable<ReturnType<typeof TurnOffsets.load>>): TurnIndex.Index | undefined => {
  if (rows.file.version !== VERSION) return undefined
  const s = JSON.parse(rows.file.state) as FileState
  const turns = rows.turns.map((r) => ({ ...(JSON.parse(r.state) as TurnState), offset: r.offset, line: r.line }))
  return { path: rows.file.path, head: rows.file.head, size: rows.file.size, ...s, turns }
}

export const make = (store: Store.Store, report: (text: string) => void) => {
  const memory = new Map<string, TurnIndex.Index>()
  const running = new Map<string, Promise<TurnIndex.Index>>()

  const remember = (ix: TurnIndex.Index): TurnIndex.Index => {
    memory.delete(ix.path)
    memory.set(ix.path, ix)
    while (memory.size > KEEP) memory.delete(memory.keys().next().value as string)
    return ix
  }

  const stored = (path: string): TurnIndex.Index | undefined => {
    try {
      const rows = TurnOffsets.load(store.database, path)
      return rows === undefined ? undefined : decode(rows)
    } catch (e) {
      report(`rollout serve: turn index of ${path}: ${e instanceof Error ? e.message : String(e)}\n`)
      return undefined
    }
  }

  const save = (ix: TurnIndex.Index, from: number): void => {
    const { file, turns } = encode(ix, from)
    try {
      TurnOffsets.save(store.database, file, from, turns)
    } catch (e) {
      // A read-only or busy index only costs the next server a new pass.
      report(`rollout serve: could not keep the turn index of ${ix.path}: ${e instanceof Error ? e.message : String(e)}\n`)
    }
  }

  const refresh = async (path: string): Promise<TurnIndex.Index> => {
    const stat = await fs.promises.stat(path)
    const known = memory.get(path) ?? stored(path)
    if (known !== undefined && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return remember(known)
    const file = { path, size: stat.size, mtimeMs: stat.mtimeMs, head: await head(path, stat.size) }
    if (known !== undefined && stat.size >= known.end && (await sameHead(path, known.head))) {
      const grown = await TurnIndexer.extend(known, { ...file, head: known.head })
      save(grown.index, grown.from)
      return remember(grown.index)
    }
    const built = await TurnIndexer.build(file)
    save(built, 0)
    return remember(built)
  }

  /** The current index of `path` (a plain JSONL file); throws `TurnIndexer.Unindexable` when there is none to have. */
  const get = (path: string): Promise<TurnIndex.Index> => {
    const busy = running.get(path)
    if (busy !== undefined) return busy
    const p = refresh(path).finally(() => running.delete(path))
    running.set(path, p)
    return p
  }
  return { get }
}

export type Cache = ReturnType<typeof make>
