/**
 * Reads one rollout file into its statistics (`StatsFile.FileStats`), the unit of work a stats
 * worker runs. It is the I/O half of the fold: it frames and decodes only the lines statistics
 * need, reports every line it could not read, and finds a fork's copied history.
 *
 * A legacy fork copies its parent's lines (new timestamps, same payloads) right after its own
 * `session_meta`; they are found by reading the parent alongside (`StatsCopy`). A paginated fork (`history_base`) copies nothing but starts its
 * running token total from the parent's at the fork point, which is read from the parent up to
 * `end_byte_offset`. When the parent cannot be found, a diagnostic says how the file was counted.
 */
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as ItemRoles from "@rollout/reduce/ItemRoles"
import type * as Files from "@rollout/log/Files"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type { LogLine } from "@rollout/log/LineFramer"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsBuilder from "@rollout/reduce/StatsBuilder"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsCopy from "./StatsCopy.js"
import * as StatsDecode from "./StatsDecode.js"
import * as StatsReader from "./StatsReader.js"
import * as StatsSkim from "./StatsSkim.js"
import * as StatsTokenSkim from "./StatsTokenSkim.js"

/** The rollout files of a thread id (its segments, in order), or none when it cannot be found. */
export type FindThread = (id: string) => Promise<ReadonlyArray<string>>

// What the stats fold reads (`EventRoles`/`ItemRoles` stats columns); turn contexts and session
// metas are always read.
const EVENTS = EventRoles.where("stats", true)
const ITEMS = ItemRoles.where("stats")

const payloadType = (value: LogLine["value"]): unknown => {
  const p = value["payload"]
  return typeof p === "object" && p !== null ? (p as Record<string, unknown>)["type"] : undefined
}

/** Whether statistics read a line of this type and payload tag; the others are counted, not decoded. */
const wants = (type: unknown, tag: unknown): boolean => {
  switch (type) {
    case "session_meta":
    case "turn_context":
      return true
    case "event_msg":
      return EventRoles.has(EVENTS, tag)
    case "response_item":
      return EventRoles.has(ITEMS, tag)
    default:
      return false
  }
}

/** Whether statistics look at this line at all. */
export const wanted = (value: LogLine["value"]): boolean => wants(value["type"], payloadType(value))

/**
 * `wanted`, judged from a line's envelope alone (`LinePrefix`): lines it refuses are never parsed.
 * A payload whose tag is not its first key cannot be judged here: it is parsed.
 */
export const wantedPrefix = (p: LinePrefix.Prefix): boolean =>
  (p.tag === undefined && (p.type === "event_msg" || p.type === "response_item")) || wants(p.type, p.tag)

/** What a copied line moves: the running token total and the model. */
export const wantedWhenCopied = (value: LogLine["value"]): boolean =>
  value["type"] === "turn_context" || (value["type"] === "event_msg" && payloadType(value) === "token_count")

/**
 * Whether a copied line with this envelope may move something (`wantedWhenCopied`): a turn
 * context, a token count, or a payload whose tag is not its first key.
 */
export const movesWhenCopied = (p: LinePrefix.Prefix): boolean =>
  p.tag === undefined || p.type === "turn_context" || (p.type === "event_msg" && p.tag === "token_count")

/** Whether a parsed line is what its envelope says: a repeated `type` key can make it something else. */
export const namedBy = (value: LogLine["value"], p: LinePrefix.Prefix): boolean =>
  value["type"] === p.type && (p.tag === undefined || payloadType(value) === p.tag)

export const stampOf = (value: LogLine["value"]): string | null => (typeof value["timestamp"] === "string" ? value["timestamp"] : null)

/** The parent's running token total at a byte offset of its (first) file: what a paginated fork starts from. */
const totalAt = async (files: Files.Shape, path: string, endByteOffset: number): Promise<StatsTokens.Tokens | null> => {
  let total: StatsTokens.Tokens | null = null
  const lines = new StatsCopy.Lines(files, [path])
  try {
    for (;;) {
      const line = await lines.next()
      if (line === undefined || line.offset >= endByteOffset) break
      if (!line.raw.includes('"token_count"')) continue
      let value: unknown
      try {
        value = JSON.parse(line.raw)
      } catch {
        continue
      }
      if (typeof value !== "object" || value === null) continue
      const d = StatsDecode.decode(value as Record<string, unknown>)
      if (d._tag === "Known" && d.line.type === "event_msg" && d.line.payload.type === "token_count") {
        const usage = d.line.payload.info?.total_token_usage
        if (usage !== undefined) total = StatsTokens.fromUsage(usage)
      }
    }
  } finally {
    await lines.close()
  }
  return total
}

/** Reads `path` into its statistics. Never throws: what cannot be read becomes a diagnostic. */
export interface ScanOptions {
  /**
   * Leave unparsed the lines whose envelope says statistics do not read them (default). Such a
   * line is not validated: a broken line statistics would not have read anyway is not reported.
   */
  readonly skim: boolean
}

/** Token count shapes learnt so far, shared by the files one thread scans (a home's are alike). */
export const tokens = new StatsTokenSkim.Reader()

export const scan = async (files: Files.Shape, path: string, findThread: FindThread, options: ScanOptions = { skim: true }): Promise<StatsFile.FileStats> => {
  const b = new StatsBuilder.Builder(path)
  /** The parent's lines while the fork's copy still matches them; null once past the copy. */
  let parent: StatsCopy.Copy | null = null
  let sawMeta = false
  const stopMatching = async () => {
    if (parent !== null) await parent.close()
    parent = null
  }
  // Lines are skimmed (left unparsed when their envelope says statistics do not read them) once the
  // first line says whether the file is a legacy fork; while its copy is matched, only the copy
  // key of an unread line is taken (`StatsSkim`).
  const skim = new StatsSkim.Skim(tokens, wantedPrefix)
  const after = (copying: boolean): StatsSkim.Mode => (!options.skim ? "off" : copying ? "copy" : "on")
  try {
    for await (const batch of StatsReader.batches(files, path, { batchBytes: 64 << 10, skim: skim.judge })) {
      for (const entry of batch) {
        if (entry._tag === "Diagnostic") {
          b.diagnose({ path, line: entry.line, kind: entry.kind, message: entry.message })
          continue
        }
        if (entry._tag === "Skimmed") {
          const what = skim.take()
          if (typeof what === "string" && parent !== null) {
            let copied = parent.matchesKey(what)
            if (copied instanceof Promise) copied = await copied
            if (copied) {
              b.copied(null)
              continue
            }
            await stopMatching()
            skim.mode = after(false)
          }
          if (what === null || typeof what === "string") b.skipped(entry.timestamp)
          else b.tokenCount(what.timestamp, what.total, what.last)
          continue
        }
        if (parent !== null) {
          let copied = parent.matches(entry.raw)
          if (copied instanceof Promise) copied = await copied
          if (copied) {
            b.copied(wantedWhenCopied(entry.value) ? known(entry, b, path) : null)
            continue
          }
          await stopMatching()
          skim.mode = after(false)
        }
        if (!wanted(entry.value)) {
          b.skipped(stampOf(entry.value))
          continue
        }
        const line = known(entry, b, path)
        if (line === null) {
          b.skipped(stampOf(entry.value))
          continue
        }
        if (skim.mode === "on") tokens.learn(entry.raw, line)
        b.line(line)
        if (!sawMeta && line.type === "session_meta") {
          sawMeta = true
          parent = await forkParent(files, path, line.payload, findThread, b)
          skim.mode = after(parent !== null)
        }
      }
    }
  } finally {
    await stopMatching()
  }
  return b.result()
}

/** Decodes a line; one that breaks its schema is reported and skipped. */
export const known = (entry: Pick<LogLine, "line" | "value">, b: StatsBuilder.Builder, path: string): RolloutLine.RolloutLine | null => {
  const d = StatsDecode.decode(entry.value)
  switch (d._tag) {
    case "Known":
      return d.line
    case "Unknown":
      return null
    case "Invalid":
      b.diagnose({ path, line: entry.line, kind: "invalid_line", message: `${d.what}: ${d.message.split("\n")[0] ?? ""}` })
      return null
  }
}

export type Meta = Extract<RolloutLine.RolloutLine, { type: "session_meta" }>["payload"]

/** Sets up fork handling from the file's own `session_meta`: the parent's lines to match, or a seed. */
export const forkParent = async <C = StatsCopy.Copy>(
  files: Files.Shape,
  path: string,
  meta: Meta,
  findThread: FindThread,
  b: StatsBuilder.Builder,
  copyOf: (parentPaths: ReadonlyArray<string>) => C = (parentPaths) => new StatsCopy.Copy(files, parentPaths) as C
): Promise<C | null> => {
  const base = meta.history_base
  if (base !== undefined) {
    const [parentPath] = (await findThread(base.thread_id)).filter((p) => p !== path)
    if (parentPath === undefined) {
      b.seed(null)
      b.diagnose({
        path,
        line: 1,
        kind: "fork_parent_missing",
        message: `paginated fork of ${base.thread_id}, which is not among the inputs or in the Codex home: its first token count is taken as its own usage (last_token_usage)`
      })
      return null
    }
    b.seed(await totalAt(files, parentPath, base.end_byte_offset))
    return null
  }
  const parentId = meta.forked_from_id
  if (parentId === undefined) return null
  const parentPaths = (await findThread(parentId)).filter((p) => p !== path)
  if (parentPaths.length === 0) {
    b.diagnose({
      path,
      line: 1,
      kind: "fork_parent_missing",
      message: `fork of ${parentId}, which is not among the inputs or in the Codex home: its copied history cannot be told apart and is counted as this thread's`
    })
    return null
  }
  return copyOf(parentPaths)
}
