/**
 * TraceBundle: reading a Codex rollout-trace bundle directory (rollout-trace spec §1.3, §4.0) —
 * `manifest.json`, the `trace.jsonl` event log through the tolerant line framer (each line a
 * decoded event or the reason it cannot be read or parsed, in file order), and the payload files
 * the events reference — into plain data the pure reducer (`@rollout/reduce/RolloutTrace`) takes.
 * It does not interpret events, and it leaves a bad line or a missing payload for the reducer to
 * report when it reaches it, as Codex does. Writing bundles is `TraceWriter`.
 */
import * as nodePath from "node:path"
import { Data, Result } from "effect"
import * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as Files from "./Files.js"
import * as RolloutReader from "./RolloutReader.js"

export const MANIFEST = "manifest.json"
export const EVENT_LOG = "trace.jsonl"
export const PAYLOADS = "payloads"

/** The directory does not exist or is not a directory. */
export class BundleNotFound extends Data.TaggedError("BundleNotFound")<{ readonly message: string }> {}
/** The directory exists but its manifest or event log cannot be read (Codex's driver errors). */
export class MalformedBundle extends Data.TaggedError("MalformedBundle")<{ readonly message: string }> {}

export type BundleError = BundleNotFound | MalformedBundle

export interface Bundle {
  readonly dir: string
  readonly manifest: TraceEvent.TraceManifest
  readonly lines: ReadonlyArray<TraceEvent.TraceLine>
  /** Payload file texts by bundle-relative path; a path absent here could not be opened. */
  readonly payloads: ReadonlyMap<string, string>
}

const readText = async (files: Files.Shape, path: string): Promise<string> => {
  const parts: Array<Buffer> = []
  for await (const chunk of files.chunks(path)) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts).toString("utf8")
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** The event log as lines: framer diagnostics become unreadable / unparsable lines (§4.0 step 3). */
const readLines = async (files: Files.Shape, path: string): Promise<Array<TraceEvent.TraceLine>> => {
  const out: Array<TraceEvent.TraceLine> = []
  for await (const batch of RolloutReader.batches(files, path)) {
    for (const entry of batch) {
      if (entry._tag === "Line") {
        const decoded = TraceEvent.decode(entry.value)
        out.push(
          Result.isSuccess(decoded)
            ? { _tag: "Event", line: entry.line, event: decoded.success }
            : { _tag: "Unparsable", line: entry.line, reason: decoded.failure.replace(/\s*\n\s*/g, "; ") }
        )
        continue
      }
      switch (entry.kind) {
        case "read_error":
        case "zstd_error":
        case "too_large":
        case "segment_error":
          throw new MalformedBundle({ message: `open trace event log ${path}: ${entry.message}` })
        case "empty_file":
          break
        // Codex's line reader fails on bytes that are not UTF-8 or a line it cannot hold.
        case "invalid_utf8":
        case "line_too_long":
          out.push({ _tag: "Unreadable", line: entry.line, reason: entry.message })
          break
        // serde_json rejects a BOM, a torn line, non-JSON and non-objects alike.
        case "bom":
        case "invalid_json":
        case "truncated_line":
        case "not_an_object":
          out.push({ _tag: "Unparsable", line: entry.line, reason: entry.message })
          break
        default: {
          const never: never = entry.kind
          throw new Error(`unexpected diagnostic ${String(never)}`)
        }
      }
    }
  }
  // A BOM is reported before its (otherwise readable) line 1: the line itself must not count.
  const bomLine = out.findIndex((l) => l._tag === "Unparsable" && l.line === 1)
  return bomLine === -1 ? out : out.filter((l, i) => !(l.line === 1 && i !== bomLine))
}

/** Reads a bundle directory: its manifest, its event lines and every payload its events reference. */
export const read = async (files: Files.Shape, dir: string): Promise<Result.Result<Bundle, BundleError>> => {
  try {
    const stat = await files.stat(dir).catch(() => undefined)
    if (stat === undefined || stat.kind !== "directory") return Result.fail(new BundleNotFound({ message: `${dir}: no such bundle directory` }))
    const manifestPath = nodePath.join(dir, MANIFEST)
    let manifestJson: unknown
    try {
      manifestJson = JSON.parse(await readText(files, manifestPath))
    } catch (error) {
      return Result.fail(new MalformedBundle({ message: `read ${manifestPath}: ${message(error)}` }))
    }
    const manifest = TraceEvent.decodeManifestJson(manifestJson)
    if (Result.isFailure(manifest)) return Result.fail(new MalformedBundle({ message: `read ${manifestPath}: ${manifest.failure.replace(/\s*\n\s*/g, "; ")}` }))
    const logPath = nodePath.join(dir, EVENT_LOG)
    const logStat = await files.stat(logPath).catch((error: unknown) => error)
    if (logStat instanceof Error || (logStat as Files.Stat).kind !== "file") {
      return Result.fail(new MalformedBundle({ message: `open trace event log ${logPath}${logStat instanceof Error ? `: ${logStat.message}` : ""}` }))
    }
    const lines = await readLines(files, logPath)
    const payloads = new Map<string, string>()
    for (const line of lines) {
      if (line._tag !== "Event") continue
      for (const ref of TraceEvent.payloadRefs(line.event.payload)) {
        if (payloads.has(ref.path)) continue
        const text = await readText(files, nodePath.join(dir, ref.path)).catch(() => undefined)
        if (text !== undefined) payloads.set(ref.path, text)
      }
    }
    return Result.succeed({ dir, manifest: manifest.success, lines, payloads })
  } catch (error) {
    if (error instanceof MalformedBundle) return Result.fail(error)
    throw error
  }
}

/** The reducer's view of the payload files. */
export const payloadSource =
  (bundle: Bundle) =>
  (path: string): string | undefined =>
    bundle.payloads.get(path)
