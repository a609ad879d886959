import { defineConfig } from "vitest/config"
import { sharedGraph } from "../vitest.shared.ts"

// Two workers even on two cores: the end-to-end files mostly wait on the processes they start
// (the bin, Codex, Chromium, PostgreSQL), so a second worker overlaps that waiting (0.80x the wall
// time of one worker on six e2e files here). Vitest's default leaves one core idle.
export default defineConfig(sharedGraph(import.meta.dirname, { test: { include: ["**/*.test.ts"], maxWorkers: 2 } }))
