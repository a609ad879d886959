// `npm run bench`: every benchmark, each figure printed next to a baseline measured in the same
// run. `--quick` uses small inputs (a smoke run, not figures to quote).
const quick = process.argv.includes("--quick")
// Words after --size and --commands are their values, not suites.
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--size" && all[i - 1] !== "--commands")
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
  speed: () => import("./speed.mjs"),
  // Opt-in (`npm run bench -- memory --size 12g`): never part of a plain `npm run bench`.
  memory: () => import("./huge.mjs"),
  // Opt-in: the speed suite has its one-file figure already.
  validate: () => import("./validate.mjs")
}
const optIn = new Set(["memory", "validate"])
const sizeAt = process.argv.indexOf("--size")
const size = sizeAt < 0 ? undefined : (await import("./huge.mjs")).parseSize(process.argv[sizeAt + 1])
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 ? !only.includes(name) : optIn.has(name)) continue
  await (await load()).run({ quick, huge: process.argv.includes("--huge"), size })
}
