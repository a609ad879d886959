import * as path from "node:path"
import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"
import { sharedGraph } from "../vitest.shared.ts"

/** The files that took longest here (vitest's JSON reporter, a fresh clone), longest first. */
const slowest = [
  "e2e/Edges",
  "oracle/Resume",
  "e2e/Web",
  "e2e/Team",
  "e2e/Trim",
  "oracle/Matrix",
  // Each of these took 80 to 120 s of a loaded fresh-clone run and had started late (vitest orders the rest by size).
  "e2e/HistoryReadAhead",
  "e2e/ReadmeTour",
  "e2e/EngineResume",
  "e2e/Stranger",
  "e2e/ReplayResumed",
  "e2e/ServeDatabase"
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
export default defineConfig(sharedGraph(import.meta.dirname, { test: { include: ["**/*.test.ts"], maxWorkers: 2, sequence: { sequencer: SlowestFirst } } }))
