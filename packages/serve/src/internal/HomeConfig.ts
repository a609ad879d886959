/**
 * The one setting of the home's `config.toml` that changes what `thread/list` answers: Codex lists
 * only the configured `model_provider`'s threads unless asked for others (default `openai`). A
 * top-level `key = "value"` line is all that is read; this is not a TOML parser.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"

export const modelProvider = (home: string): string => {
  let text: string
  try {
    text = fs.readFileSync(nodePath.join(home, "config.toml"), "utf8")
  } catch {
    return "openai"
  }
  for (const line of text.split("\n")) {
    if (/^\s*\[/.test(line)) break
    const m = /^\s*model_provider\s*=\s*"([^"]*)"/.exec(line)
    if (m?.[1] !== undefined) return m[1]
  }
  return "openai"
}
