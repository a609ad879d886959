// The web app as minified ES modules for the browser (dist/app/app.js, and a chunk for the stats
// dashboard with uPlot, loaded when opened): Preact and uPlot tree-shaken in, nothing loaded from
// elsewhere. scripts/assets.mjs then embeds it, with the
// stylesheet, in dist/Assets.js so the server (and the CLI bundle) carries the app with it.
import * as fs from "node:fs"
import { defineConfig } from "rolldown"

// Chunk names carry content hashes: drop the previous build's before writing this one.
fs.rmSync("dist/app", { recursive: true, force: true })

export default defineConfig({
  input: { app: "src/app/main.tsx" },
  platform: "browser",
  tsconfig: "tsconfig.json",
  output: { dir: "dist/app", format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", minify: true, sourcemap: false }
})
