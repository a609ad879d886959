/**
 * Codex's `ThreadSourceKind` filter over the index's flat source names (`cli`, `vscode`, `exec`,
 * `mcp`, `subagent:review`, `subagent:thread_spawn`, ...). Without kinds Codex lists only the
 * interactive sources, `cli` and `vscode`.
 */
export const interactive: ReadonlyArray<string> = ["cli", "vscode"]

/** The kinds one stored source name answers to (a sub-agent is `subAgent` and its own kind). */
export const kindsOf = (source: string): ReadonlyArray<string> => {
  switch (source) {
    case "cli":
    case "vscode":
    case "exec":
      return [source]
    case "mcp":
    case "app_server":
    case "appServer":
      return ["appServer"]
  }
  if (source.startsWith("subagent")) {
    const sub = source.slice("subagent:".length)
    const specific =
      sub === "review" ? "subAgentReview" : sub === "compact" ? "subAgentCompact" : sub === "thread_spawn" ? "subAgentThreadSpawn" : "subAgentOther"
    return ["subAgent", specific]
  }
  return ["unknown"]
}

export const matches = (source: string, wanted: ReadonlyArray<string>): boolean => kindsOf(source).some((k) => wanted.includes(k))
