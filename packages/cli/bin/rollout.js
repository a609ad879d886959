#!/usr/bin/env node
// Committed launcher (it must exist before `npm install` builds dist/): runs the bundled CLI
// (dist/rollout.cjs, built from dist/bin.js by rolldown.config.mjs) with V8's compiled code of
// each bundle file cached between runs, which Node 20 does not do by itself. The cache lives in a
// folder of the user's own under the temp dir, one file per bundle file, keyed by the file's
// name (chunk names carry a content hash), size and mtime and by the Node version; V8 checks the
// source and flags again and rejects a stale or damaged entry, which is then written anew.
import * as fs from "node:fs"
import Module, { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as vm from "node:vm"

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist")
const uid = typeof process.getuid === "function" ? process.getuid() : "user"
// `rollout stats` spends much of a cold run's CPU compiling its reader's hot functions with all
// they call inlined; with less inlining (V8's default allows 920 bytes of bytecode per function)
// they are optimised sooner: 0.96-0.97 of the CPU on a 100 MB home (a run in worker lanes, over
// gigabytes, puts the default back: `StatsPool`; docs/performance.md, stats round 12). V8 keys
// cached code by its flags too, so those runs keep a cache folder of their own: sharing one would
// have each run reject and rewrite what the other wrote.
const statsFlags = process.argv[2] === "stats" ? "--max-inlined-bytecode-size-cumulative=400" : undefined
if (statsFlags !== undefined) (await import("node:v8")).setFlagsFromString(statsFlags)
const cacheDir = path.join(os.tmpdir(), `rollout-compile-cache-${uid}`, `${process.version}-${process.arch}${statsFlags === undefined ? "" : "-stats"}`)

const usableCache = () => {
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 })
    const st = fs.statSync(path.dirname(cacheDir))
    // Someone else's folder (a shared temp dir) is never read: cached code is run as is.
    return typeof process.getuid !== "function" || (st.uid === process.getuid() && (st.mode & 0o022) === 0)
  } catch {
    return false
  }
}

if (process.env.ROLLOUT_NO_COMPILE_CACHE === undefined && usableCache()) {
  const compile = Module.prototype._compile
  const stale = []
  Module.prototype._compile = function (content, filename) {
    if (path.dirname(filename) !== dist || !filename.endsWith(".cjs")) return compile.call(this, content, filename)
    const st = fs.statSync(filename)
    const entry = path.join(cacheDir, `${path.basename(filename)}-${st.size}-${Math.trunc(st.mtimeMs)}`)
    let cachedData
    try {
      cachedData = fs.readFileSync(entry)
    } catch {}
    // A shebang is only valid as a file's first bytes, not inside the wrapper: keep it as a comment.
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content
    const script = new vm.Script(Module.wrap(source), { filename, cachedData })
    if (cachedData === undefined || script.cachedDataRejected === true) stale.push([script, entry])
    const require = createRequire(filename)
    return script.runInThisContext().call(this.exports, this.exports, require, this, filename, path.dirname(filename))
  }
  // Written at exit, so functions compiled while running are in the cache too.
  process.once("exit", () => {
    for (const [script, entry] of stale) {
      try {
        const tmp = `${entry}.${process.pid}.tmp`
        fs.writeFileSync(tmp, script.createCachedData())
        fs.renameSync(tmp, entry)
      } catch {}
    }
  })
}

createRequire(import.meta.url)("../dist/rollout.cjs")
