/**
 * The command lines the quick paths (`LsQuick`, `SearchQuick`, `IndexQuick`, `ValidateQuick`, `HistoryQuick`)
 * answer without the CLI framework: words, `--flag`s and `--name value`s (each name once, its value
 * the next word), `-q` for `--quiet`. Anything else is `undefined`, and the full CLI answers it,
 * so a quick path never reads a command line differently from the framework.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"

/** What a quick path prints through: the process's streams in `bin.ts`, buffers in tests. */
export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly stderrIsTTY: boolean
  /** The terminal's width, or undefined when stdout is not a terminal (as `Output.size`). */
  readonly columns: number | undefined
}

export interface Parsed<V extends string> {
  /** The words that are no flag or value, in order. */
  readonly words: ReadonlyArray<string>
  readonly values: Partial<Record<V, string>>
  /** Every flag and valued name given. */
  readonly seen: ReadonlySet<string>
}

/**
 * `argv` after the command's name, read with the `valued` names and the `flags`; undefined for any
 * other name, a repeated one, a value that is missing or looks like a flag, `--name=value`, or a
 * word when `words` is false.
 */
export const read = <V extends string>(
  argv: ReadonlyArray<string>,
  valued: ReadonlyArray<V>,
  flags: ReadonlyArray<string>,
  words: boolean
): Parsed<V> | undefined => {
  const found: Array<string> = []
  const values: Partial<Record<V, string>> = {}
  const seen = new Set<string>()
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string
    if (!word.startsWith("-")) {
      if (!words) return undefined
      found.push(word)
      continue
    }
    const name = word === "-q" ? "quiet" : word.startsWith("--") ? word.slice(2) : ""
    if (name === "" || seen.has(name)) return undefined
    seen.add(name)
    if (flags.includes(name)) continue
    const value = argv[i + 1]
    if (!(valued as ReadonlyArray<string>).includes(name) || value === undefined || value.startsWith("-")) return undefined
    values[name as V] = value
    i++
  }
  return { words: found, values, seen }
}

/** `given`, else `$CODEX_HOME`, else `~/.codex`, as an absolute path; an empty value is unset, as the full CLI's `--codex-home` reads it. */
export const home = (given: string | undefined, env: NodeJS.ProcessEnv): string => {
  const dir = given ?? env["CODEX_HOME"] ?? ""
  return nodePath.resolve(dir === "" ? nodePath.join(os.homedir(), ".codex") : dir)
}

/**
 * Whether `path` is a folder. Any failure (missing, under a file, not ours to read) is "no": the
 * quick path then leaves the home to the full CLI, which says what is wrong with it.
 */
export const isFolder = (path: string): boolean => {
  try {
    return fs.statSync(path).isDirectory()
  } catch {
    return false
  }
}
