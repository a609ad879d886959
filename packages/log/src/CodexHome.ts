/**
 * The Codex home layout: where rollouts live (`sessions/YYYY/MM/DD/`, `archived_sessions/`), what
 * their file names mean, and how a path argument (a file, a folder, a whole home) or a thread id
 * becomes the list of rollout files to read. It reads directory listings only, never file bodies.
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import type * as Files from "./Files.js"

export interface RolloutFile {
  readonly path: string
  /** The id in the file name (the thread id, or a rollout id for reverted threads). */
  readonly id: string
  /** The local wall-clock time in the file name, as written (`2026-07-14T09-05-33`). */
  readonly stamp: string
  readonly compressed: boolean
  readonly archived: boolean
}

// `.rseg`: the project's binary segment of a rollout (`rollout convert`), read like the JSONL.
const NAME = /^rollout-(.+)-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\.jsonl(\.zst)?|\.rseg)$/

/** Parses a rollout file name; undefined when it is not one. */
export const parseName = (name: string): { readonly id: string; readonly stamp: string; readonly compressed: boolean } | undefined => {
  const m = NAME.exec(name)
  if (m === null) return undefined
  return { stamp: m[1] ?? "", id: (m[2] ?? "").toLowerCase(), compressed: m[3] !== undefined }
}

export const isRolloutName = (name: string): boolean =>
  name.startsWith("rollout-") && (name.endsWith(".jsonl") || name.endsWith(".jsonl.zst") || name.endsWith(".rseg"))

/** `--codex-home`, else `$CODEX_HOME`, else `~/.codex`. */
export const resolveHome = (flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string =>
  nodePath.resolve(flag ?? env["CODEX_HOME"] ?? nodePath.join(os.homedir(), ".codex"))

/** Why a folder named like a rollout file is stepped over as a file (it is still walked as a folder). */
const FOLDER = "a folder named like a rollout file (rollouts inside it are read)"

export const SESSIONS = "sessions"
export const ARCHIVED = "archived_sessions"

/** A folder under the one walked that could not be listed, and why. */
export interface Unreadable {
  readonly path: string
  readonly message: string
}

/**
 * An entry named like a rollout file that is not one to read: a FIFO, a socket, a dangling or
 * looping symbolic link, a link to a folder, or a folder. A walk steps over it (a FIFO is never
 * opened, so nothing blocks) and notes it here, so a command can say so; it is not an error.
 */
export interface Skipped {
  readonly path: string
  /** What it is, in words (`a named pipe (FIFO)`). */
  readonly message: string
}

/** A skipped entry as one sentence: `skipped <path>: <what it is>`. */
export const line = (s: Skipped): string => `skipped ${s.path}: ${s.message}`

/** Why a folder could not be listed, in words for the common refusals, else the system's message. */
const reason = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "EACCES" || code === "EPERM") return "permission denied"
  return error instanceof Error ? error.message : String(error)
}

/**
 * Every rollout file under `dir`, recursively, sorted by path. When both `x.jsonl` and
 * `x.jsonl.zst` exist the plain file wins, as in Codex; a segment `x.rseg` counts only alone.
 * With `unreadable`, a folder below `dir` that cannot be listed is noted there and the walk goes
 * on (one locked folder costs its own files only); without it, or for `dir` itself, the error is thrown.
 */
export const walk = async (
  files: Files.Shape,
  dir: string,
  archived = false,
  unreadable?: Array<Unreadable>,
  skipped?: Array<Skipped>
): Promise<Array<RolloutFile>> => {
  const out: Array<RolloutFile> = []
  const visit = async (d: string): Promise<void> => {
    let entries: ReadonlyArray<Files.DirEntry>
    try {
      entries = await files.list(d)
    } catch (error) {
      if (d === dir || unreadable === undefined) throw error
      unreadable.push({ path: d, message: `cannot read ${d}: ${reason(error)}` })
      return
    }
    const names = new Set(entries.map((e) => e.name))
    for (const e of entries) {
      const full = nodePath.join(d, e.name)
      if (e.kind !== "file" && isRolloutName(e.name)) skipped?.push({ path: full, message: e.what ?? (e.kind === "directory" ? FOLDER : "not a regular file") })
      if (e.kind === "directory") await visit(full)
      else if (e.kind === "file" && isRolloutName(e.name)) {
        if (e.name.endsWith(".zst") && names.has(e.name.slice(0, -4))) continue
        // A segment converted from a rollout next to it is a copy: the rollout wins.
        if (e.name.endsWith(".rseg") && (names.has(`${e.name.slice(0, -5)}.jsonl`) || names.has(`${e.name.slice(0, -5)}.jsonl.zst`))) continue
        const parsed = parseName(e.name)
        out.push({
          path: full,
          id: parsed?.id ?? "",
          stamp: parsed?.stamp ?? "",
          compressed: e.name.endsWith(".zst"),
          archived
        })
      }
    }
  }
  await visit(dir)
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The rollouts of a Codex home: active sessions, then archived ones. Missing folders are empty; `unreadable` and `skipped` as `walk`'s. */
export const rollouts = async (files: Files.Shape, home: string, unreadable?: Array<Unreadable>, skipped?: Array<Skipped>): Promise<Array<RolloutFile>> => {
  const under = async (sub: string, archived: boolean) => {
    const dir = nodePath.join(home, sub)
    const stat = await files.stat(dir).catch(() => undefined)
    return stat?.kind === "directory" ? walk(files, dir, archived, unreadable, skipped) : []
  }
  return [...(await under(SESSIONS, false)), ...(await under(ARCHIVED, true))]
}

/** Whether `dir` looks like a Codex home (it has a `sessions` or `archived_sessions` folder). */
export const isHome = async (files: Files.Shape, dir: string): Promise<boolean> => {
  for (const sub of [SESSIONS, ARCHIVED]) {
    const stat = await files.stat(nodePath.join(dir, sub)).catch(() => undefined)
    if (stat?.kind === "directory") return true
  }
  return false
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export const isThreadId = (s: string): boolean => UUID.test(s)

/** The rollout files of thread `id` in `home` (several when a thread has segments), by path. */
export const findThread = async (files: Files.Shape, home: string, id: string): Promise<Array<RolloutFile>> => {
  const wanted = id.toLowerCase()
  return (await rollouts(files, home)).filter((f) => f.id === wanted)
}

export type Expanded =
  | {
      readonly _tag: "Files"
      readonly paths: ReadonlyArray<string>
      readonly unreadable: ReadonlyArray<Unreadable>
      /** Entries of a walked folder named like rollouts that are not files to read (said, not errors). */
      readonly skipped: ReadonlyArray<Skipped>
    }
  | { readonly _tag: "NotFound"; readonly message: string }

/**
 * What a command-line argument names: a rollout file, every rollout under a folder (a Codex home's
 * sessions and archived sessions, or any folder), or — when no such path exists and it looks like
 * a thread id — that thread's rollout files in `home`.
 */
export const expand = async (files: Files.Shape, arg: string, home: string): Promise<Expanded> => {
  const stat = await files.stat(arg).catch(() => undefined)
  if (stat?.kind === "file") return { _tag: "Files", paths: [arg], unreadable: [], skipped: [] }
  if (stat?.kind === "directory") {
    const unreadable: Array<Unreadable> = []
    const skipped: Array<Skipped> = []
    const found = (await isHome(files, arg)) ? await rollouts(files, arg, unreadable, skipped) : await walk(files, arg, false, unreadable, skipped)
    return found.length > 0 || unreadable.length > 0
      ? { _tag: "Files", paths: found.map((f) => f.path), unreadable, skipped }
      : {
          _tag: "NotFound",
          message: `no rollout files (rollout-*.jsonl[.zst] or .rseg) under ${arg}${skipped[0] === undefined ? "" : `; ${line(skipped[0])}`}`
        }
  }
  if (stat === undefined && isThreadId(arg)) {
    const unreadable: Array<Unreadable> = []
    const wanted = arg.toLowerCase()
    const found = (await rollouts(files, home, unreadable)).filter((f) => f.id === wanted)
    if (found.length > 0) return { _tag: "Files", paths: found.map((f) => f.path), unreadable: [], skipped: [] }
    const locked =
      unreadable.length === 0 ? "" : ` (${unreadable.length} folder${unreadable.length === 1 ? "" : "s"} of it could not be read: ${unreadable[0]?.message})`
    return { _tag: "NotFound", message: `no thread ${arg} in the Codex home ${home}${locked}` }
  }
  return { _tag: "NotFound", message: stat === undefined ? `${arg}: no such file or directory` : `${arg} is not a file or folder` }
}

/**
 * The thread's name from `session_index.jsonl` (the last line for the id wins), if any. A missing
 * or unreadable index means no name; bad lines in it are skipped, as Codex does.
 */
export const threadName = async (files: Files.Shape, home: string, id: string): Promise<string | undefined> => {
  let name: string | undefined
  try {
    let text = ""
    for await (const chunk of files.chunks(nodePath.join(home, "session_index.jsonl"))) text += Buffer.from(chunk).toString("utf8")
    for (const line of text.split("\n")) {
      if (!line.includes(id)) continue
      try {
        const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown }
        if (entry.id === id && typeof entry.thread_name === "string") name = entry.thread_name
      } catch {
        // skipped, as Codex skips undecodable index lines
      }
    }
  } catch {
    return undefined
  }
  return name
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/**
 * Where Codex puts a new thread's rollout: `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`,
 * in the local time of `epochMs` (Codex names files by the writer's local clock).
 */
export const newRolloutPath = (home: string, epochMs: number, id: string): string => {
  const d = new Date(epochMs)
  const [y, mo, day] = [String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate())]
  const stamp = `${y}-${mo}-${day}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`
  return nodePath.join(home, SESSIONS, y, mo, day, `rollout-${stamp}-${id}.jsonl`)
}
