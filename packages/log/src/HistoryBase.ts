/**
 * The parent rollouts a paginated fork's history continues into. A fork Codex writes in paginated
 * history mode copies none of its parent's lines: its `session_meta.history_base` names the parent
 * thread and where the fork's history ends in it (`end_ordinal_exclusive`, and `end_byte_offset`,
 * the parent file's size at the fork), and the parent may name a base of its own. Readers that
 * rebuild what a resumed fork starts from go on into these, newest first, as Codex does. It finds
 * the files and bounds them; it reads each parent's first lines only and folds nothing.
 */
import * as CodexHome from "./CodexHome.js"
import type * as Files from "./Files.js"
import * as RolloutReader from "./RolloutReader.js"

/** A fork's parent history: which thread, its files, and where the fork's history ends in them. */
export interface Base {
  readonly threadId: string
  /** The parent's rollout files, oldest first. */
  readonly paths: ReadonlyArray<string>
  /** Lines at or past this ordinal were written after the fork: not the fork's history. */
  readonly endOrdinal: number
  /** `files`, except that the parent's newest file ends at the fork (its size then), when it is still that long. */
  readonly files: Files.Shape
}

type JsonObject = { readonly [key: string]: unknown }

/** Chains longer than this are taken for a cycle (a hand-made file naming itself) and cut. */
export const MAX_DEPTH = 16

/** The `history_base` of a `session_meta` payload, when it has a well-formed one. */
export const of = (meta: JsonObject | undefined): { readonly threadId: string; readonly endOrdinal: number; readonly endByteOffset: number } | undefined => {
  const base = meta?.["history_base"] as JsonObject | undefined
  if (typeof base !== "object" || base === null) return undefined
  const { thread_id: threadId, end_ordinal_exclusive: endOrdinal, end_byte_offset: endByteOffset } = base
  return typeof threadId === "string" && typeof endOrdinal === "number" && typeof endByteOffset === "number"
    ? { threadId, endOrdinal, endByteOffset }
    : undefined
}

/** The `session_meta` payload of a rollout's first line; undefined when the first line is something else. */
export const firstMeta = async (files: Files.Shape, path: string): Promise<JsonObject | undefined> => {
  try {
    for await (const batch of RolloutReader.batches(files, path, { batchBytes: 64 << 10 })) {
      for (const entry of batch) {
        if (entry._tag !== "Line") continue
        const value = entry.value as { type?: unknown; payload?: unknown }
        return value.type === "session_meta" && typeof value.payload === "object" && value.payload !== null ? (value.payload as JsonObject) : undefined
      }
    }
  } catch {
    // An unreadable parent is a missing parent: its history is missing, as in Codex.
  }
  return undefined
}

/** `files` in which `path` is at most `end` bytes long (a plain file: a compressed one's offsets are not its bytes). */
export const bounded = (files: Files.Shape, path: string, end: number): Files.Shape =>
  RolloutReader.isZstdPath(path)
    ? files
    : {
        ...files,
        stat: async (p) => {
          const stat = await files.stat(p)
          return p === path && stat.size > end ? { ...stat, size: end } : stat
        }
      }

/**
 * The bases a thread whose first `session_meta` is `meta` continues into: its parent, then the
 * parent's parent, and so on; lazily, so a reader that has enough stops before the next lookup. A
 * parent that is not in `home` ends the chain (its history is missing, as in Codex).
 */
export async function* chain(files: Files.Shape, home: string, meta: JsonObject | undefined): AsyncGenerator<Base> {
  let next = of(meta)
  for (let depth = 0; next !== undefined && depth < MAX_DEPTH; depth++) {
    const found = await CodexHome.findThread(files, home, next.threadId).catch(() => [])
    const paths = found.map((f) => f.path)
    const newest = paths.at(-1)
    if (newest === undefined) return
    yield { threadId: next.threadId, paths, endOrdinal: next.endOrdinal, files: bounded(files, newest, next.endByteOffset) }
    next = of(await firstMeta(files, paths[0] as string))
  }
}
