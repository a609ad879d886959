/**
 * A machine's thread names (its home's `session_index.jsonl`, newest line per id wins) pushed as a
 * whole in one transaction when the file's size or modification time moved. The file is small;
 * reading it whole keeps this free of offsets.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import type { Session } from "../TeamDatabase.js"
import * as Text from "./Text.js"

const FILE_NAME = "session_index.jsonl"

const parse = (text: string): Map<string, string> => {
  const names = new Map<string, string>()
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue
    try {
      const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown }
      if (typeof entry.id === "string" && typeof entry.thread_name === "string") names.set(entry.id.toLowerCase(), entry.thread_name)
    } catch {
      // skipped, as Codex skips undecodable index lines
    }
  }
  return names
}

/** Pushes the names when the index file changed; returns whether it did. Call inside a transaction. */
export const push = async (tx: Session, machine: string, home: string): Promise<boolean> => {
  const path = nodePath.join(home, FILE_NAME)
  const st = fs.statSync(path, { throwIfNoEntry: false })
  const size = st?.size ?? null
  const mtime = st === undefined ? null : Math.floor(st.mtimeMs)
  const [row] = await tx.query<{ names_size: number | null; names_mtime_ms: number | null }>(
    "SELECT names_size, names_mtime_ms FROM machines WHERE name = $1 FOR UPDATE",
    [machine]
  )
  if (row !== undefined && row.names_size === size && row.names_mtime_ms === mtime) return false
  const text = st === undefined ? "" : fs.readFileSync(path, "utf8")
  // Only complete lines: one being appended is read next time (the size will have moved).
  const names = parse(text.slice(0, text.lastIndexOf("\n") + 1))
  await tx.query("DELETE FROM names WHERE machine = $1", [machine])
  if (names.size > 0)
    await tx.query("INSERT INTO names (machine, id, name) SELECT $1, * FROM unnest($2::text[], $3::text[])", [
      machine,
      [...names.keys()].map(Text.clean),
      [...names.values()].map(Text.clean)
    ])
  await tx.query("UPDATE machines SET names_size = $2, names_mtime_ms = $3 WHERE name = $1", [machine, size, mtime])
  return true
}
