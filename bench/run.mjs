// `npm run bench`: every benchmark, each figure printed next to a baseline measured in the same
// run. `--quick` uses small inputs (a smoke run, not figures to quote).
const quick = process.argv.includes("--quick")
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"))
const suites = {
  reader: () => import("./reader.mjs"),
  resume: () => import("./resume.mjs"),
  trim: () => import("./trim.mjs"),
  store: () => import("./store.mjs"),
  segments: () => import("./segments.mjs"),
  stats: () => import("./stats.mjs"),
  trace: () => import("./trace.mjs"),
  history: () => import("./history.mjs"),
  engine: () => import("./engine.mjs"),
  peers: () => import("./peers.mjs"),
  team: () => import("./team.mjs"),
  speed: () => import("./speed.mjs")
}
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue
  await (await load()).run({ quick, huge: process.argv.includes("--huge") })
}
