/**
 * `rollout trim`: reads a thread from its end (`@rollout/log/BackwardReader`, newest file first)
 * into `ResumeTrim`, which stops at the newest checkpoint that survives and says which lines a new
 * thread needs to resume exactly as this one does; then writes them. Memory is what is kept (at
 * most `ResumeTrim.DEFAULT_MAX_TAIL_BYTES`) plus one read block, and the file is read only back to
 * the cut (and, if the newest token usage lies before it, through `token_count` lines to it).
 *
 * Two ways to write, both durable (temporary file, fsync, rename, as `ForkWrite`):
 * - a new thread (`save`): a new UUIDv7 id, `forked_from_id` the original, the Codex file name
 *   under `sessions/YYYY/MM/DD/`; the original is not touched;
 * - in place (`replace`): the thread keeps its id and path, the original's bytes stay at a hard
 *   link (`<path>.before-trim-<ms>`, a name Codex does not list) made before the trimmed file is
 *   renamed over the path, so the path always holds one whole file. If the file grew while it was
 *   trimmed (Codex still appending), nothing is replaced.
 * A paginated thread is written as a legacy one (`history_base` and window ids describe the old
 * file, not the trimmed one), its lines shaped as the chosen Codex release writes them
 * (`ForkWrite.asVersion`, `WriterVersion.Current` by default). A paginated fork whose own lines do not settle its resume is read on
 * into its parent's lines before the fork (`session_meta.history_base`, then the parent's base), as
 * `ResumeRead` and Codex resume one, and the part of the parent's history that resume reaches is
 * copied in: the trimmed thread stands alone and no longer needs the parent. `.jsonl.zst` files are
 * refused: they cannot be read from the end.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as BackwardReader from "@rollout/log/BackwardReader"
import * as CodexHome from "@rollout/log/CodexHome"
import * as DurableFile from "@rollout/log/DurableFile"
import * as Files from "@rollout/log/Files"
import * as HistoryBase from "@rollout/log/HistoryBase"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import * as ResumeTrim from "@rollout/reduce/ResumeTrim"
import * as Uuid7 from "@rollout/reduce/Uuid7"
import * as ForkWrite from "./ForkWrite.js"
import { InvalidInput, UnreadableInput } from "./QueryError.js"
import * as ThreadArgument from "./ThreadArgument.js"

/** What trimming a thread gives, before anything is written. */
export interface Measure {
  readonly threadId: string
  readonly paths: ReadonlyArray<string>
  /** The original's `session_meta` payload (the first file's first one). */
  readonly meta: Readonly<Record<string, unknown>>
  readonly bytesBefore: number
  /** The trimmed thread's size, its own `session_meta` line included; `bytesBefore` when it cannot be trimmed. */
  readonly bytesAfter: number
  readonly plan: ResumeTrim.Plan
}

export interface Written {
  /** The trimmed thread: a new id, or the original's with `replace`. */
  readonly threadId: string
  readonly sourceId: string
  readonly path: string
  readonly bytesBefore: number
  readonly bytesAfter: number
  /** `replace` only: where the original's bytes are kept. */
  readonly backup: string | undefined
}

const utf8 = (lines: ReadonlyArray<string>): number => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0)

/** A line's typed form as `feedFile` makes it (the backward reader parses the raw text, a BOM aside). */
const retype = (raw: string): RolloutLine.RolloutLine | undefined => {
  const decoded = RolloutLine.decode(JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw))
  return decoded._tag === "Known" ? decoded.line : undefined
}

/** Feeds `path` newest line first until the trim needs no more; a base's lines from `endOrdinal` on (written after the fork) are not fed. */
const feedFile = async (files: Files.Shape, path: string, trim: ResumeTrim.ResumeTrim, endOrdinal?: number): Promise<void> => {
  for await (const batch of BackwardReader.batches(files, path)) {
    for (const entry of batch) {
      if (entry._tag !== "Line") continue
      // Looking only for the newest token usage: skip decoding every other line.
      if (trim.need() === "token_usage" && !entry.raw.includes('"token_count"')) continue
      const decoded = RolloutLine.decode(entry.value)
      const line = decoded._tag === "Known" ? decoded.line : undefined
      const ordinal = line?.ordinal ?? (entry.value as { ordinal?: unknown }).ordinal
      if (endOrdinal !== undefined && typeof ordinal === "number" && ordinal >= endOrdinal) continue
      if (trim.add({ raw: entry.raw, line }) === "nothing") return
    }
  }
}

/**
 * Feeds the thread's lines newest first until the trim needs no more, then (with `home`) the
 * history its `history_base` names, newest parent line first. Unknown or invalid lines are kept as
 * untyped. Returns a parent file that cannot be read from its end and was needed (else undefined).
 */
const readBackward = async (
  files: Files.Shape,
  paths: ReadonlyArray<string>,
  trim: ResumeTrim.ResumeTrim,
  meta: Readonly<Record<string, unknown>>,
  home: string | undefined
): Promise<string | undefined> => {
  for (let i = paths.length - 1; i >= 0 && trim.need() !== "nothing"; i--) await feedFile(files, paths[i] as string, trim)
  if (home === undefined || trim.need() === "nothing") return undefined
  for await (const base of HistoryBase.chain(files, home, meta)) {
    for (let i = base.paths.length - 1; i >= 0 && trim.need() !== "nothing"; i--) {
      const path = base.paths[i] as string
      if (!BackwardReader.supports(base.files, path)) return path
      await feedFile(base.files, path, trim, base.endOrdinal)
    }
    if (trim.need() === "nothing") return undefined
  }
  return undefined
}

/** The trimmed thread's `session_meta` line (`ForkWrite.header`). */
export const header = ForkWrite.header

/** Reads the thread `arg` and works out its trim without writing anything. */
export const measure = (arg: string, home: string): Effect.Effect<Measure, InvalidInput | UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadArgument.resolveRollout(arg, home)
    return yield* measurePaths(files, paths, home)
  })

/**
 * `measure` of a thread's files (oldest first); with `home`, a paginated fork's parent history is
 * read too where the fork's own lines do not settle its resume (without it, only `paths`).
 */
export const measurePaths = (files: Files.Shape, paths: ReadonlyArray<string>, home?: string): Effect.Effect<Measure, InvalidInput> =>
  Effect.gen(function* () {
    const zipped = paths.find((p) => !BackwardReader.supports(files, p))
    if (zipped !== undefined) return yield* new InvalidInput({ message: `${zipped}: trim reads plain .jsonl rollouts from their end; decompress it first` })
    const meta = yield* ThreadArgument.firstMeta(paths[0] ?? "").pipe(Effect.provideService(Files.Files, files))
    if (meta === undefined || typeof meta["id"] !== "string")
      return yield* new InvalidInput({ message: `${paths[0]}: no session_meta with an id, so no thread to trim` })
    const threadId = meta["id"]
    const trim = ResumeTrim.make(undefined, retype)
    const { bytesBefore, zippedBase } = yield* Effect.promise(async () => {
      // Sized before the read: a line appended meanwhile makes `replace` see a different size and refuse.
      let n = 0
      for (const p of paths) n += (await files.stat(p)).size
      return { bytesBefore: n, zippedBase: await readBackward(files, paths, trim, meta, home) }
    })
    if (zippedBase !== undefined)
      return yield* new InvalidInput({
        message: `${zippedBase}: this fork's history goes on in that parent file, which trim cannot read from its end; decompress it first`
      })
    const plan = trim.finish()
    const bytesAfter = plan._tag === "Trimmed" ? utf8([header(meta, threadId, 0, true), ...plan.lines]) : bytesBefore
    return { threadId, paths, meta, bytesBefore, bytesAfter, plan }
  })

const trimmedLines = (m: Measure): Effect.Effect<ReadonlyArray<string>, InvalidInput> =>
  m.plan._tag === "Trimmed"
    ? Effect.succeed(m.plan.lines)
    : Effect.fail(
        new InvalidInput({
          message: `${m.threadId}: not trimmed: no compaction checkpoint settles the resume within the last ${m.plan.maxTailBytes >> 20} MiB of the thread`
        })
      )

/**
 * Writes `lines` to a temporary file beside `target`, runs `before` (which may refuse by throwing),
 * then puts the file in place; a failure, or an interrupt of the process, removes the temporary file.
 */
const writeOver = async (target: string, lines: ReadonlyArray<string>, before: () => Promise<void> = async () => {}): Promise<void> => {
  await fs.promises.mkdir(nodePath.dirname(target), { recursive: true })
  const temp = `${target}.tmp-${crypto.randomBytes(6).toString("hex")}`
  const done = DurableFile.track(temp)
  try {
    await fs.promises.writeFile(temp, lines.map((l) => `${l}\n`).join(""), { flag: "wx" })
    await before()
    DurableFile.replace(temp, target)
  } catch (error) {
    await fs.promises.rm(temp, { force: true })
    throw error
  } finally {
    done()
  }
}

const cannotWrite = (path: string) => (error: unknown) =>
  new UnreadableInput({ message: `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}` })

/** Trims the thread `arg` into a new thread of `home`; the original is not touched. */
export const save = (arg: string, home: string): Effect.Effect<Written, InvalidInput | UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const m = yield* measure(arg, home)
    const body = yield* trimmedLines(m)
    const ids = yield* ForkWrite.ThreadIds
    const now = ids.now()
    const threadId = Uuid7.fromBytes(now, ids.randomBytes(10))
    const path = CodexHome.newRolloutPath(home, now, threadId)
    const lines = ForkWrite.asVersion(yield* WriterVersion.Current, [header(m.meta, threadId, now, true), ...body])
    yield* Effect.tryPromise({
      try: async () => {
        await writeOver(path, lines)
      },
      catch: cannotWrite(path)
    })
    return { threadId, sourceId: m.threadId, path, bytesBefore: m.bytesBefore, bytesAfter: utf8(lines), backup: undefined }
  })

/** Trims the thread `arg` in place (one file only), keeping the original's bytes as a backup beside it. */
export const replace = (arg: string, home: string): Effect.Effect<Written, InvalidInput | UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const m = yield* measure(arg, home)
    const body = yield* trimmedLines(m)
    const [path] = m.paths
    if (path === undefined || m.paths.length !== 1)
      return yield* new InvalidInput({ message: `${arg}: --replace trims a thread kept in one file; this one has ${m.paths.length}` })
    const now = (yield* ForkWrite.ThreadIds).now()
    const lines = ForkWrite.asVersion(yield* WriterVersion.Current, [header(m.meta, m.threadId, now, false), ...body])
    const backup = `${path}.before-trim-${now}`
    yield* Effect.tryPromise({
      try: async () => {
        await writeOver(path, lines, async () => {
          if ((await fs.promises.stat(path)).size !== m.bytesBefore)
            throw new Error("the file grew while it was trimmed (is Codex still writing it?); nothing replaced")
          await keep(path, backup)
        })
      },
      catch: cannotWrite(path)
    })
    return { threadId: m.threadId, sourceId: m.threadId, path, bytesBefore: m.bytesBefore, bytesAfter: utf8(lines), backup }
  })

/** The original's bytes under a second name: a hard link (no copy), or a flushed copy where links are refused. */
const keep = async (path: string, backup: string): Promise<void> => {
  try {
    await fs.promises.link(path, backup)
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") throw error
    await fs.promises.copyFile(path, backup, fs.constants.COPYFILE_EXCL)
    DurableFile.syncFile(backup)
  }
  DurableFile.syncDir(nodePath.dirname(backup))
}
