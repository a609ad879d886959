/**
 * How Codex shows a command in a `commandExecution` item (thread-history spec §3.8): the argv
 * joined with POSIX shell quoting, secrets redacted, parsed actions mapped to v2 command actions,
 * and `file:` URIs turned into native paths. Not a shell parser.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

const safe = /^[A-Za-z0-9_@%+=:,./-]+$/

/** shlex-style quoting of one token. */
export const quote = (token: string): string =>
  token === "" ? "''" : safe.test(token) ? token : `'${token.replace(/'/g, `'"'"'`)}'`

export const join = (argv: ReadonlyArray<string>): string =>
  argv.some((a) => a.includes("\0")) ? "<command included NUL byte>" : argv.map(quote).join(" ")

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
  const duration = raw["duration"] as { secs: number; nanos: number } | undefined
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
    durationMs: duration === undefined ? null : Math.floor(duration.secs * 1000 + duration.nanos / 1e6),
    startedAtMs: null,
    completedAtMs: null
  }
}
