import type { ViteUserConfig } from "vitest/config"

// Workspace packages export "source" (TypeScript) alongside "default" (built JavaScript):
// tests run against the sources so that no rebuild is needed between edits.
const conditions = ["source", "node", "import", "default"]

export const shared: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
}
