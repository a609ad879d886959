/**
 * A vitest global setup: gives the run a folder through which its test files share one PostgreSQL
 * cluster (`PgCluster.shared`), and stops that cluster when the run ends. It starts nothing
 * itself, so a run of files that need no database pays nothing.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as PgCluster from "./PgCluster.js"

export default function setup(): () => void {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-pg-run-"))
  // Set before the workers start: they inherit the environment.
  process.env[PgCluster.RUN_FOLDER] = run
  return () => PgCluster.stopShared(run)
}
