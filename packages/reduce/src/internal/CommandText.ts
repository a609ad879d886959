/**
 * How Codex shows a command in a `commandExecution` item (thread-history spec §3.8): the argv
 * joined with POSIX shell quoting, secrets redacted, parsed actions mapped to v2 command actions,
 * and `file:` URIs turned into native paths. Not a shell parser.
 */
import * as Duration from "@rollout/protocol/Duration"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

// Codex joins argv with the Rust `shlex` crate (1.3): each token is cut into chunks, each written
// unquoted, else single-quoted, else double-quoted (with \\ " $ ` escaped), whichever fits the
// whole chunk first; a chunk ends where no strategy fits both it and the next character.
const UNQUOTED = 1
const SINGLE = 2
const DOUBLE = 4
const unquotedOk = /^[A-Za-z0-9+\-./:@\]_]$/

/** Which strategies can hold this character (anything not ASCII needs quotes). */
const fits = (c: string): number => {
  if (c.charCodeAt(0) >= 0x80) return SINGLE | DOUBLE
  let ok = unquotedOk.test(c) ? UNQUOTED : 0
  if (c !== "'" && c !== "^" && c !== "\\") ok |= SINGLE
  if (c !== "`" && c !== "$" && c !== "!" && c !== "^") ok |= DOUBLE
  return ok
}

const writeChunk = (chunk: string, ok: number): string => (ok & UNQUOTED ? chunk : ok & SINGLE ? `'${chunk}'` : `"${chunk.replace(/[$`"\\]/g, "\\$&")}"`)

/** shlex quoting of one token, as Codex shows it. */
export const quote = (token: string): string => {
  if (token === "") return "''"
  let out = ""
  let i = 0
  while (i < token.length) {
    const start = i
    // A leading ^ only fits right after an opening single quote (a Bash history-expansion quirk).
    let ok = token[i] === "^" ? SINGLE : UNQUOTED | SINGLE | DOUBLE
    if (token[i] === "^") i++
    for (; i < token.length; i++) {
      const next = ok & fits(token[i] as string)
      if (next === 0) break
      ok = next
    }
    out += writeChunk(token.slice(start, i), ok)
  }
  return out
}

export const join = (argv: ReadonlyArray<string>): string => (argv.some((a) => a.includes("\0")) ? "<command included NUL byte>" : argv.map(quote).join(" "))

/** Codex's secret redaction, in its order. */
export const redact = (text: string): string =>
  text
    .replace(/\b[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+[A-Za-z0-9._~+/-]{16,}=*/g, "Bearer [REDACTED_SECRET]")
    .replace(/sk-[A-Za-z0-9]{20,}/g, "[REDACTED_SECRET]")
    .replace(/\bAKIA[0-9A-Z]{16}\b/g, "[REDACTED_SECRET]")
    .replace(/\b(api[_-]?key|token|secret|password)\b(\s*[:=]\s*)(["']?)[^\s"']{8,}/gi, "$1$2$3[REDACTED_SECRET]")

/** `file:///tmp` → `/tmp` (POSIX); other strings unchanged. */
export const filePath = (uri: string): string => {
  if (!uri.startsWith("file://")) return uri
  try {
    return decodeURIComponent(new URL(uri).pathname)
  } catch {
    return uri
  }
}

const posixJoin = (cwd: string, path: string): string => (path.startsWith("/") ? path : `${cwd.replace(/\/$/, "")}/${path}`)

type Action = ThreadItem.Of<"commandExecution">["commandActions"][number]

export const action = (parsed: Record<string, unknown>, cwd: string): Action => {
  const command = redact(String(parsed["cmd"] ?? ""))
  const str = (k: string): string | null => (typeof parsed[k] === "string" ? (parsed[k] as string) : null)
  switch (parsed["type"]) {
    case "read":
      return { type: "read", command, name: str("name") ?? "", path: posixJoin(cwd, str("path") ?? "") }
    case "list_files":
      return { type: "listFiles", command, path: str("path") }
    case "search": {
      const query = str("query")
      return { type: "search", command, query: query === null ? null : redact(query), path: str("path") }
    }
    default:
      return { type: "unknown", command }
  }
}

const sources = {
  agent: "agent",
  user_shell: "userShell",
  unified_exec_startup: "unifiedExecStartup",
  unified_exec_interaction: "unifiedExecInteraction"
} as const

/** A canonical `CommandExecution` TurnItem (snake_case) as a v2 item, timing left null. */
export const commandExecution = (raw: Record<string, unknown> & { readonly id: string }): ThreadItem.Of<"commandExecution"> => {
  const cwd = filePath(String(raw["cwd"] ?? ""))
  const output = raw["aggregated_output"]
  const status = raw["status"]
  return {
    type: "commandExecution",
    id: raw.id,
    pluginId: (raw["plugin_id"] as string | undefined) ?? null,
    scriptPath: (raw["script_path"] as string | undefined) ?? null,
    command: redact(join((raw["command"] as ReadonlyArray<string> | undefined) ?? [])),
    cwd,
    processId: (raw["process_id"] as string | undefined) ?? null,
    source: sources[(raw["source"] as keyof typeof sources | undefined) ?? "agent"] ?? "agent",
    status: status === "completed" || status === "failed" || status === "declined" ? status : "inProgress",
    commandActions: ((raw["parsed_cmd"] as ReadonlyArray<Record<string, unknown>> | undefined) ?? []).map((p) => action(p, cwd)),
    aggregatedOutput: typeof output === "string" && output !== "" ? output : null,
    exitCode: typeof raw["exit_code"] === "number" ? raw["exit_code"] : null,
    durationMs: Duration.millisOf(raw["duration"]),
    startedAtMs: null,
    completedAtMs: null
  }
}
