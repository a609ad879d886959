/**
 * WriterVersion: the Codex release whose rollout shape a writer follows (the engine, `fork
 * --write`, `trim`, `run`). The releases differ in what they write, not in what they read: 0.171
 * adds `model_search_state` to the harness `metadata` of every `response_item` and of every
 * `compacted.replacement_history_metadata` entry; 0.169 and 0.170 write neither. A writer names
 * its release in `session_meta.cli_version`. `shape` turns a line into what the chosen release
 * writes; a line it does not change is returned as it is, so callers keep its original bytes.
 */
import { Context } from "effect"

export const versions = ["0.169.0", "0.170.0", "0.171.0"] as const
export type WriterVersion = (typeof versions)[number]

/** The newest release: what writers follow unless told otherwise. */
export const newest: WriterVersion = "0.171.0"

export const isWriterVersion = (text: string): text is WriterVersion => (versions as ReadonlyArray<string>).includes(text)

/** The release a command writes as (the CLI's `--codex-version`). */
export const Current = Context.Reference<WriterVersion>("@rollout/protocol/WriterVersion/Current", { defaultValue: () => newest })

/** Whether `version` writes `metadata.model_search_state` (the only value seen is `unused`). */
export const writesModelSearchState = (version: WriterVersion): boolean => version === "0.171.0"

type JsonObject = { readonly [key: string]: unknown }

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value)

/** Harness metadata as `version` writes it: `model_search_state` added last (0.171) or dropped (older). */
export const metadata = (version: WriterVersion, m: JsonObject): JsonObject => {
  const has = "model_search_state" in m
  if (writesModelSearchState(version)) return has ? m : { ...m, model_search_state: "unused" }
  if (!has) return m
  const { model_search_state: _notWritten, ...rest } = m
  return rest
}

const sessionMeta = (version: WriterVersion, line: JsonObject): JsonObject => {
  const payload = line["payload"]
  if (!isObject(payload) || payload["cli_version"] === version) return line
  return { ...line, payload: { ...payload, cli_version: version } }
}

const responseItem = (version: WriterVersion, line: JsonObject): JsonObject => {
  const m = line["metadata"]
  if (!isObject(m)) return line
  const shaped = metadata(version, m)
  return shaped === m ? line : { ...line, metadata: shaped }
}

const compacted = (version: WriterVersion, line: JsonObject): JsonObject => {
  const payload = line["payload"]
  const entries = isObject(payload) ? payload["replacement_history_metadata"] : undefined
  if (!isObject(payload) || !Array.isArray(entries)) return line
  const shaped = entries.map((e: unknown) => (isObject(e) ? metadata(version, e) : e))
  if (shaped.every((e, i) => e === entries[i])) return line
  return { ...line, payload: { ...payload, replacement_history_metadata: shaped } }
}

/** The line (`{timestamp, type, payload, ...}`) as `version` writes it; the same object when nothing changes. */
export const shape = (version: WriterVersion, line: JsonObject): JsonObject => {
  switch (line["type"]) {
    case "session_meta":
      return sessionMeta(version, line)
    case "response_item":
      return responseItem(version, line)
    case "compacted":
      return compacted(version, line)
    default:
      return line
  }
}
