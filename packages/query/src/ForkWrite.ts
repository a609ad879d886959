/**
 * `rollout fork ... --write`: a fork saved as a new thread in the Codex home, the way Codex saves
 * one. The new rollout starts with the child's own `session_meta` (a new UUIDv7 id, the source's
 * id as `forked_from_id`, the fork time) followed by the source's lines before the cut, copied as
 * written (the source's `session_meta` included: only a file's first one counts). It lands at
 * `sessions/YYYY/MM/DD/rollout-<local time>-<id>.jsonl`, written to a temporary file, flushed and
 * renamed so that no reader (and no crash) sees half a fork. The source file is never written.
 *
 * Differences from Codex, on purpose: copied lines keep their original bytes and timestamps
 * (Codex re-stamps them at write time), except a metadata field the chosen release writes or
 * drops (`asVersion`); lines this version cannot type are copied only if they
 * are well-formed JSON of an unknown type (kept, as everywhere else), never if they are broken.
 * A paginated source is forked as Codex forks one: no line is copied, the fork's `session_meta`
 * names where its history ends in the source (or in the source's own parent) by `history_base`,
 * and the cut falls at the start of the turn holding user message N (`internal/ForkPaginated`).
 * N counts the user messages `rollout history` shows, a paginated fork's parent's first. Time and
 * ids come from the `ThreadIds` reference, so tests are deterministic.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Context, Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as DurableFile from "@rollout/log/DurableFile"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as Json from "@rollout/protocol/Json"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import * as ForkHistory from "@rollout/reduce/ForkHistory"
import * as Uuid7 from "@rollout/reduce/Uuid7"
import type { Diagnostics } from "./Diagnostics.js"
import * as ForkPaginated from "./internal/ForkPaginated.js"
import { InvalidInput, UnreadableInput } from "./QueryError.js"
import * as ThreadFold from "./ThreadFold.js"

/** The clock and the random bytes a new thread id is made of. */
export interface ThreadIdsShape {
  readonly now: () => number
  readonly randomBytes: (n: number) => Uint8Array
}

export const ThreadIds = Context.Reference<ThreadIdsShape>("@rollout/query/ForkWrite/ThreadIds", {
  defaultValue: () => ({ now: () => Date.now(), randomBytes: (n) => crypto.randomBytes(n) })
})

/** A line as read: its raw text and, when this version knows its type, the typed line. */
export interface ReadLine {
  readonly raw: string
  readonly known: RolloutLine.RolloutLine | undefined
  /** Where it is: its byte offset in its file and the id of the thread whose file that is. */
  readonly offset?: number
  readonly thread?: string
}

/**
 * Every well-formed line of the thread's files (known or of an unknown type), in order; with
 * `endByteOffset`, only the first file's lines that start before it (a paginated fork's base).
 */
export const records = async (files: Files.Shape, paths: ReadonlyArray<string>, endByteOffset?: number, thread?: string): Promise<Array<ReadLine>> => {
  const out: Array<ReadLine> = []
  for (const path of endByteOffset === undefined ? paths : paths.slice(0, 1)) {
    for await (const batch of RolloutReader.batches(files, path)) {
      for (const entry of batch) {
        if (entry._tag !== "Line" || (endByteOffset !== undefined && entry.offset >= endByteOffset)) continue
        const decoded = RolloutLine.decode(entry.value)
        const at = { offset: entry.offset, ...(thread === undefined ? {} : { thread }) }
        if (decoded._tag === "Known") out.push({ raw: entry.raw, known: decoded.line, ...at })
        else if (decoded._tag === "Unknown") out.push({ raw: entry.raw, known: undefined, ...at })
      }
    }
  }
  return out
}

export interface Fork {
  readonly threadId: string
  readonly forkedFromId: string
  readonly path: string
  /** The new file's lines (no newlines). */
  readonly lines: ReadonlyArray<string>
  readonly history: ReadonlyArray<unknown>
}

/** Keys of the source's `session_meta` that describe the source's own file, not the new thread's. */
const NOT_INHERITED = new Set(["history_base", "context_window", "forked_from_ordinal_exclusive", "subagent_history_start_ordinal"])

/**
 * A written thread's `session_meta` line: the source's, with a new id, `forked_from_id` and time
 * (`fork`), or the same ones (a thread trimmed in place); always in legacy history mode.
 */
export const header = (meta: Readonly<Record<string, unknown>>, threadId: string, epochMs: number, fork: boolean): string => {
  const at = new Date(epochMs).toISOString()
  const payload: { [key: string]: unknown } = {}
  for (const [key, value] of Object.entries(meta)) {
    if (NOT_INHERITED.has(key) || (fork && key === "forked_from_id")) continue
    if (fork && (key === "session_id" || key === "id")) payload[key] = threadId
    else if (fork && key === "timestamp") payload[key] = at
    else if (key === "history_mode") payload[key] = "legacy"
    else payload[key] = value
    // Codex writes forked_from_id right after id.
    if (fork && key === "id") payload["forked_from_id"] = meta["id"]
  }
  return Json.stringify({ timestamp: at, type: "session_meta", payload })
}

/**
 * The fork of `records` before user message `n`: what to write and where. `undefined` when the
 * source has no `session_meta` (there is no thread to fork from).
 */
export const plan = (
  home: string,
  records: ReadonlyArray<ReadLine>,
  n: number,
  epochMs: number,
  random: Uint8Array,
  windowRandom: Uint8Array = random
): Fork | undefined => {
  const first = records.find((r) => r.known?.type === "session_meta")
  if (first === undefined || first.known?.type !== "session_meta") return undefined
  const source = (JSON.parse(first.raw) as { payload: { [key: string]: unknown } }).payload
  const forkedFromId = String(source["id"])
  const threadId = Uuid7.fromBytes(epochMs, random)
  const known = records.flatMap((r, i) => (r.known === undefined ? [] : [{ line: r.known, index: i }]))
  const lines = known.map((k) => k.line)
  const path = CodexHome.newRolloutPath(home, epochMs, threadId)
  if (source["history_mode"] === "paginated") {
    const base = paginatedCut(records, known, ForkPaginated.cutIndex(lines, n))
    if (base !== undefined) {
      const windowId = Uuid7.fromBytes(epochMs, windowRandom)
      return {
        threadId,
        forkedFromId,
        path,
        lines: [ForkPaginated.header(source, threadId, epochMs, base, windowId)],
        history: ForkPaginated.history(lines, n)
      }
    }
  }
  const cut = ForkHistory.cutIndex(lines, n)
  const copied = cut === null ? records : records.slice(0, known[cut]?.index ?? records.length)
  return {
    threadId,
    forkedFromId,
    path,
    lines: [header(source, threadId, epochMs, true), ...copied.map((r) => r.raw)],
    history: ForkHistory.fork(lines, n).history
  }
}

/**
 * Where a paginated fork's history ends: before line `cut` of the thread's history, or after the
 * last line read. Undefined when the lines do not say where they are (no ordinal or offset): the
 * fork is then copied into a legacy rollout.
 */
const paginatedCut = (
  records: ReadonlyArray<ReadLine>,
  known: ReadonlyArray<{ readonly index: number }>,
  cut: number | null
): ForkPaginated.Cut | undefined => {
  const line = cut === null ? records.at(-1) : records[known[cut]?.index ?? -1]
  const ordinal = line?.known?.ordinal ?? (JSON.parse(line?.raw ?? "{}") as { ordinal?: number }).ordinal
  if (line?.thread === undefined || line.offset === undefined || ordinal === undefined) return undefined
  // After the last line: the next ordinal, at the end of that line.
  return cut === null
    ? { threadId: line.thread, ordinal: ordinal + 1, byteOffset: line.offset + Buffer.byteLength(line.raw) + 1 }
    : { threadId: line.thread, ordinal, byteOffset: line.offset }
}

/**
 * The history a fork of `lines` (a thread's lines, `lines` below) before user message `n` starts
 * from, for `fork --json`: a paginated thread is cut at the start of that message's turn, as its
 * written fork is.
 */
export const history = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): ReadonlyArray<unknown> => {
  const meta = lines.find((l) => l.type === "session_meta")
  return meta?.type === "session_meta" && meta.payload.history_mode === "paginated" ? ForkPaginated.history(lines, n) : ForkHistory.fork(lines, n).history
}

type Meta = Extract<RolloutLine.RolloutLine, { type: "session_meta" }>["payload"]

const metaOf = (lines: ReadonlyArray<ReadLine>): Meta | undefined => {
  const first = lines.find((r) => r.known?.type === "session_meta")?.known
  return first?.type === "session_meta" ? first.payload : undefined
}

/**
 * The lines of a paginated fork's history that live in its parent (`history_base`): the parent's
 * lines before `end_byte_offset`, its own base first (recursively). Empty when there is no base or
 * the parent cannot be found (its history is then missing, as in Codex).
 */
const baseRecords = async (files: Files.Shape, home: string, meta: Meta | undefined, depth = 0): Promise<Array<ReadLine>> => {
  const base = meta?.history_base
  if (base === undefined || depth > 16) return []
  const paths = await Effect.runPromise(Effect.provideService(ThreadFold.resolve(base.thread_id, home), Files.Files, files)).catch(() => [])
  if (paths.length === 0) return []
  const lines = await records(files, paths, base.end_byte_offset, base.thread_id)
  return [...(await baseRecords(files, home, metaOf(lines), depth + 1)), ...lines]
}

/**
 * The thread's lines as one history: a paginated fork's own lines after its parent's (so that N
 * counts the user messages `rollout history` shows, and the fork holds the history before them).
 * The thread's own `session_meta` stays first: it is the source the fork is made from.
 */
export const withBase = async (files: Files.Shape, home: string, paths: ReadonlyArray<string>): Promise<Array<ReadLine>> => {
  const first = await records(files, paths)
  const id = metaOf(first)?.id
  const own = id === undefined ? first : first.map((r) => ({ ...r, thread: id }))
  return afterMeta(own, await baseRecords(files, home, metaOf(own)), (r) => r.known?.type === "session_meta")
}

/** `base` placed right after the first `session_meta` of `own` (nothing changes without one). */
const afterMeta = <A>(own: ReadonlyArray<A>, base: ReadonlyArray<A>, isMeta: (a: A) => boolean): Array<A> => {
  const meta = own.findIndex(isMeta)
  return base.length === 0 || meta < 0 ? [...own] : [...own.slice(0, meta + 1), ...base, ...own.slice(meta + 1)]
}

/**
 * The typed lines a fork of `arg` is cut from, for `fork --json`: the thread's own lines as
 * `ThreadFold.lines` reads them (problems reported), a paginated fork's parent history placed
 * after its own `session_meta`, as `withBase` does for `--write`.
 */
export const lines = (arg: string, home: string): Effect.Effect<Array<RolloutLine.RolloutLine>, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const own = yield* ThreadFold.lines(arg, home)
    const meta = own.find((l) => l.type === "session_meta")
    const base = yield* Effect.promise(() => baseRecords(files, home, meta?.type === "session_meta" ? meta.payload : undefined))
    const typed = base.flatMap((r) => (r.known === undefined ? [] : [r.known]))
    return afterMeta(own, typed, (l) => l.type === "session_meta")
  })

/**
 * The lines as the Codex release `version` writes them (`WriterVersion.shape`: its `cli_version` in
 * the first line's `session_meta`, its response-item metadata fields). Only a line that changes is re-encoded; the others keep
 * their bytes, so only lines naming `session_meta` or a `metadata` field are parsed at all.
 */
export const asVersion = (version: WriterVersion.WriterVersion, lines: ReadonlyArray<string>): Array<string> =>
  lines.map((raw, i) => {
    if (!raw.includes('"session_meta"') && !raw.includes('metadata"')) return raw
    const value = JSON.parse(raw) as { readonly [key: string]: unknown }
    // A copied source's own session_meta is its record, not the writer's (only the first counts).
    if (i > 0 && value["type"] === "session_meta") return raw
    const shaped = WriterVersion.shape(version, value)
    return shaped === value ? raw : Json.stringify(shaped)
  })

/** Writes the fork's file: a temporary file in the target folder, flushed, then a rename. */
export const write = async (fork: Fork): Promise<void> => {
  const dir = nodePath.dirname(fork.path)
  await fs.promises.mkdir(dir, { recursive: true })
  // The new id makes the name unique; `wx` refuses to reuse one anyway.
  const temp = nodePath.join(dir, `.${nodePath.basename(fork.path)}.tmp`)
  const done = DurableFile.track(temp)
  try {
    await fs.promises.writeFile(temp, fork.lines.map((l) => `${l}\n`).join(""), { flag: "wx" })
    // Flushed before the rename (and the folder after): a crash leaves no empty thread behind.
    DurableFile.replace(temp, fork.path)
  } catch (error) {
    await fs.promises.rm(temp, { force: true })
    throw error
  } finally {
    done()
  }
}

/**
 * Forks the thread `arg` (an id or a path) before user message `n` and saves the fork in `home`,
 * with time and ids from `ThreadIds`, as the Codex release `WriterVersion.Current` writes. Returns
 * what was written.
 */
export const save = (arg: string, home: string, n: number): Effect.Effect<Fork, InvalidInput | UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const ids = yield* ThreadIds
    const paths = yield* ThreadFold.resolve(arg, home)
    const read = yield* Effect.promise(() => withBase(files, home, paths))
    const version = yield* WriterVersion.Current
    const made = plan(home, read, n, ids.now(), ids.randomBytes(10), ids.randomBytes(10))
    if (made === undefined) return yield* new InvalidInput({ message: `${arg}: no session_meta line, so no thread to fork from` })
    const planned = { ...made, lines: asVersion(version, made.lines) }
    yield* Effect.tryPromise({
      try: () => write(planned),
      catch: (error) => new UnreadableInput({ message: `cannot write ${planned.path}: ${error instanceof Error ? error.message : String(error)}` })
    })
    return planned
  })
