import * as path from "node:path"
import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"
import { sharedGraph } from "../vitest.shared.ts"

/**
 * The files that took longest here, longest first: wall time of each file in one run of this
 * workspace on a loaded machine (vitest's JSON reporter, 2026-12-07; e2e/Team since took 0.8x the
 * CPU, its local reference commands now running in-process).
 */
const slowest = [
  "e2e/ReadmeTour", // 117 s
  "e2e/EngineResume", // 91 s
  "e2e/Edges", // 82 s (42 s CPU: about 70 bin runs)
  "e2e/HistoryReadAhead", // 74 s
  "e2e/History", // 72 s
  "oracle/Resume", // 72 s
  "e2e/Team", // 71 s
  "e2e/ReplayResumed", // 65 s
  "e2e/Export", // 60 s
  "e2e/Web", // 60 s
  "oracle/Matrix", // 58 s (mostly Codex)
  "oracle/ResumeRun", // 57 s
  "e2e/Trim", // 56 s
  "e2e/Stranger", // 53 s
  "e2e/Matrix", // 49 s
  "e2e/HostileHome", // 47 s
  "e2e/IndexScanAhead", // 41 s
  "e2e/ExportBrowser", // 40 s
  "oracle/ResumeForks", // 36 s
  "e2e/StoreConcurrency" // 34 s
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
