// The web app as one minified ES module for the browser (dist/app/app.js): Preact and uPlot
// tree-shaken into it, nothing loaded from elsewhere. scripts/assets.mjs then embeds it, with the
// stylesheet, in dist/Assets.js so the server (and the CLI bundle) carries the app with it.
import { defineConfig } from "rolldown"

export default defineConfig({
  input: { app: "src/app/main.tsx" },
  platform: "browser",
  tsconfig: "tsconfig.json",
  output: { dir: "dist/app", format: "esm", entryFileNames: "[name].js", minify: true, sourcemap: false }
})
