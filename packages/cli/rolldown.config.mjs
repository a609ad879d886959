// The `rollout` bin as one tree-shaken bundle (dist/rollout.cjs) over the compiled packages: one
// module graph instead of hundreds of files, barrels cut down to what is used, and a chunk per
// subcommand so each command line loads only its own code (Cli.ts imports them lazily).
// CommonJS, because Node 20 can cache V8's compiled code only for scripts (bin/rollout.js does):
// compiling the framework is a third of a short command's start-up.
//
// Worker threads are found at run time with `new URL("./X.js", import.meta.url)` next to the
// module that starts them. Each such file becomes an entry of its own here, written beside the
// chunks, and the URL is rewritten to its file; from dist/ (tests) the original file is used.
import * as fs from "node:fs"
import * as path from "node:path"
import { defineConfig } from "rolldown"

// Native code, and a package that loads an optional native add-on by require: kept as imports.
const external = ["better-sqlite3", "msgpackr"]

const workerUrl = /new URL\(\s*(["'])(\.\.?\/[^"']+\.js)\1\s*,\s*import\.meta\.url\s*\)/g

/** Emits every `new URL("./worker.js", import.meta.url)` target as an entry chunk and points the URL at it. */
const workers = () => {
  const emitted = new Map()
  return {
    name: "rollout-workers",
    transform(code, id) {
      if (!code.includes("import.meta.url")) return null
      let changed = false
      const out = code.replace(workerUrl, (_whole, quote, relative) => {
        const file = path.resolve(path.dirname(id), relative)
        const fileName = `rollout-${path.basename(file, ".js")}.cjs`
        const seen = emitted.get(fileName)
        if (seen !== undefined && seen !== file) throw new Error(`two workers named ${fileName}: ${seen} and ${file}`)
        if (seen === undefined) {
          emitted.set(fileName, file)
          this.emitFile({ type: "chunk", id: file, fileName })
        }
        changed = true
        return `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${quote}${fileName}${quote}))`
      })
      return changed ? { code: out, map: null } : null
    }
  }
}

// Chunk names carry content hashes: drop the previous build's before writing this one.
for (const name of fs.existsSync("dist") ? fs.readdirSync("dist") : []) if (/^rollout.*\.[mc]js$/.test(name)) fs.rmSync(path.join("dist", name))

export default defineConfig({
  input: { rollout: "dist/bin.js" },
  platform: "node",
  external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
  plugins: [workers()],
  output: {
    dir: "dist",
    format: "cjs",
    entryFileNames: "[name].cjs",
    chunkFileNames: "rollout-[name]-[hash].cjs",
    minify: true,
    sourcemap: false
  }
})
