import { defineConfig } from "vitest/config"
import { sharedGraph } from "../../vitest.shared.ts"

export default defineConfig(sharedGraph(import.meta.dirname))
