import { defineConfig } from "vitest/config"
import { sharedGraph } from "../../vitest.shared.ts"

// Vitest hands the SSR conditions to node as --conditions flags: an "import" among them makes
// `pg`'s require("pg-pool") load the ES module build. Vite adds import/require by itself.
const conditions = ["source", "node"]
// The integration tests share one PostgreSQL cluster, started by the first of them.
const globalSetup = ["test/support/PgClusterRun.ts"]
export default defineConfig(sharedGraph(import.meta.dirname, { ssr: { resolve: { conditions, externalConditions: conditions } }, test: { globalSetup } }))
