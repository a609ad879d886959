import * as fs from "node:fs"
import * as path from "node:path"
import type { ViteUserConfig } from "vitest/config"

// Workspace packages export "source" (TypeScript) alongside "default" (built JavaScript):
// tests run against the sources so that no rebuild is needed between edits.
const conditions = ["source", "node", "import", "default"]

export const shared: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["test/**/*.test.ts"],
    // Byte arrays compare with one Buffer.compare (vitest's own walk took seconds a megabyte).
    setupFiles: [path.join(import.meta.dirname, "test/support/BytesEquality.ts")],
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
}

// What a file must not share with others: a module it mocks, or an environment variable it sets
// (effect reads the environment once per process, for its default ConfigProvider).
const global = /\bvi\.(do)?[mM]ock\(|process\.env(\[[^\]]*\]|\.\w+)\s*=(?!=)|delete process\.env/

/** Whether `file`, or a local module it imports (transitively), mocks a module or sets the environment. */
const touchesGlobals = (file: string, seen = new Set<string>()): boolean => {
  if (seen.has(file) || !fs.existsSync(file)) return false
  seen.add(file)
  const text = fs.readFileSync(file, "utf8")
  const local = [...text.matchAll(/from "(\.\.?\/[^"]+)"/g)].map((m) => path.resolve(path.dirname(file), (m[1] ?? "").replace(/\.js$/, ".ts")))
  return global.test(text) || local.some((f) => touchesGlobals(f, seen))
}

/** The test files under `dir` (relative to `root`, skipping node_modules) that need a module graph of their own. */
const ownGraph = (root: string, dir = ""): Array<string> =>
  fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") ? [] : ownGraph(root, f)
    return e.name.endsWith(".test.ts") && touchesGlobals(path.join(root, f)) ? [f] : []
  })

/**
 * Tests without a fresh module graph per file: importing effect and the workspace's sources again
 * for every file was most of a package's test time (reduce: import 81 s of 181 s, against 16 s
 * with one graph per worker). The files that mock a module or set the environment still get
 * their own graph (a mock must neither leak into other files nor miss a module another file
 * loaded first), in a project of their own. `root` is the directory of the calling vitest config.
 */
export const sharedGraph = (root: string, extra: ViteUserConfig = {}): ViteUserConfig => {
  const isolated = ownGraph(root)
  // A project extending this config would add to its include list (arrays merge), so each names its own.
  const { include = [], ...test } = { ...shared.test, ...extra.test }
  return {
    ...shared,
    ...extra,
    test: {
      ...test,
      projects: [
        { extends: true, test: { name: "shared", include, exclude: [...isolated, "**/node_modules/**"], isolate: false } },
        ...(isolated.length === 0 ? [] : [{ extends: true as const, test: { name: "isolated", include: isolated, isolate: true } }])
      ]
    }
  }
}
