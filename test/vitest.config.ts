import * as path from "node:path"
import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"
import { sharedGraph } from "../vitest.shared.ts"

/**
 * The files that took longest here, longest first: wall time of each file in a fresh-clone run of
 * `turbo run test --concurrency=2 --force` on a loaded machine (vitest's own report, 2026-12-08;
 * e2e/Edges, e2e/Stranger and e2e/Trim since take the answers of the full CLI in-process).
 */
const slowest = [
  "e2e/Edges", // 29 s
  "e2e/Web", // 27 s
  "oracle/Matrix", // 27 s (mostly Codex)
  "e2e/Team", // 19 s
  "e2e/Stranger", // 18 s
  "e2e/ReadmeTour", // 17 s
  "e2e/ServeDatabase", // 17 s
  "e2e/IndexConcurrency", // 13 s (5 s CPU alone): unlisted, it started last, with one worker left
  "e2e/EngineResume", // 13 s
  "oracle/ResumeRun", // 13 s
  "oracle/ResumeForks", // 13 s
  "oracle/Resume", // 12 s
  "e2e/Trim", // 12 s
  "e2e/IndexScanAhead", // 12 s
  "e2e/ExportBrowser", // 12 s
  "oracle/CodexWriterVersion", // 11 s
  "e2e/StrangerFindings", // 10 s
  "e2e/HistoryReadAhead", // 9 s
  "e2e/Export", // 9 s
  "e2e/HostileHome", // 9 s
  "oracle/Serve", // 8 s
  "e2e/Matrix" // 8 s
].map((f) => `${f}.test.ts`)

/**
 * The slowest files start first, so that both workers finish together. On a fresh clone vitest
 * knows no durations and starts the largest files first, which left the short but slow
 * oracle/Matrix (45 lines, 35 s) to run last with the other worker idle.
 */
class SlowestFirst extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    const rank = (file: TestSpecification) => {
      const i = slowest.indexOf(path.relative(import.meta.dirname, file.moduleId))
      return i === -1 ? slowest.length : i
    }
    // A stable sort: the other files keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

// Two workers even on two cores: the end-to-end files mostly wait on the processes they start
// (the bin, Codex, Chromium, PostgreSQL), so a second worker overlaps that waiting (0.80x the wall
// time of one worker on six e2e files here). Vitest's default leaves one core idle.
// e2e/Team and e2e/ServeDatabase share one PostgreSQL cluster, started by the first of them.
const globalSetup = [path.join(import.meta.dirname, "../packages/team/test/support/PgClusterRun.ts")]
export default defineConfig(
  sharedGraph(import.meta.dirname, { test: { include: ["**/*.test.ts"], maxWorkers: 2, sequence: { sequencer: SlowestFirst }, globalSetup } })
)
