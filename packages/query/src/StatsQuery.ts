/**
 * Statistics over any set of rollouts, named as a user names them (files, folders, whole Codex
 * homes, thread ids): each name is expanded, a file named twice is read once, the files are folded
 * in parallel (`StatsPool`) and merged by thread (`StatsReport`). Names that match nothing become
 * `read_error` diagnostics at the head of the report. It prints nothing.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsPool from "./StatsPool.js"

export interface Options {
  readonly paths: ReadonlyArray<string>
  readonly by: StatsReport.By
  /** Zone, date window and prices of the report (`StatsReport.Options`). */
  readonly window?: StatsReport.Options
  readonly codexHome: string
  readonly jobs: StatsPool.Options["jobs"]
  readonly onProgress?: (done: number, total: number) => void
}

export interface Answer {
  readonly report: StatsReport.Report
  /** The names that matched nothing (also at the head of `report.diagnostics`). */
  readonly missing: ReadonlyArray<StatsFile.Diagnostic>
}

/** `report` as a plain promise over the given files, for a caller that runs no Effect (the CLI's quick stats path). */
export const run = async (files: Files.Shape, options: Options): Promise<Answer> => {
  const found: Array<string> = []
  const missing: Array<StatsFile.Diagnostic> = []
  for (const arg of options.paths) {
    const expanded = await CodexHome.expand(files, arg, options.codexHome)
    if (expanded._tag === "NotFound") {
      missing.push({ path: arg, line: 0, kind: "read_error", message: expanded.message })
      continue
    }
    found.push(...expanded.paths)
  }
  // A home and a file inside it name the same file twice: count it once.
  const unique = [...new Set(found.map((p) => nodePath.resolve(p)))]
  const stats = await StatsPool.run({
    files,
    paths: unique,
    codexHome: options.codexHome,
    jobs: options.jobs,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  })
  const merged = StatsReport.merge(stats, options.by, options.window ?? {})
  return { report: { ...merged, diagnostics: [...missing, ...merged.diagnostics] }, missing }
}

export const report = (options: Options): Effect.Effect<Answer, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    return yield* Effect.promise(() => run(files, options))
  })
