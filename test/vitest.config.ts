import * as path from "node:path"
import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"
import { sharedGraph } from "../vitest.shared.ts"

/**
 * The files that took longest here, longest first: wall time of each file in one run of this
 * workspace on a loaded machine (vitest's JSON reporter; CPU seconds of the file's process and the
 * processes it waited for in brackets, where they tell the order apart).
 */
const slowest = [
  "e2e/Edges", // 159 s (34 s CPU: about 70 bin runs)
  "e2e/Team", // 133 s (32 s)
  "oracle/Matrix", // 99 s (32 s, mostly Codex)
  "e2e/Stranger", // 99 s (17 s)
  "e2e/Web", // 97 s (22 s)
  "e2e/HistoryReadAhead", // 84 s (19 s)
  "e2e/ServeDatabase", // 82 s (18 s)
  "oracle/Resume", // 77 s (24 s)
  "oracle/ResumeRun", // 64 s (17 s)
  "e2e/ReadmeTour", // 63 s (14 s)
  "e2e/EngineResume", // 58 s (12 s)
  "e2e/HostileHome", // 55 s (9 s)
  "oracle/ResumeForks", // 51 s (17 s)
  "e2e/History", // 50 s (9 s)
  "e2e/ReplayResumed", // 48 s (9 s)
  "e2e/Trim" // 47 s (12 s)
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
