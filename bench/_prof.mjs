import * as fs from "node:fs"
import * as os from "node:os"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/cli/StatsPool"
import * as StatsReport from "@rollout/reduce/StatsReport"
const paths = JSON.parse(fs.readFileSync("/tmp/rollout-bench/stats-paths.json","utf8")).slice(0, Number(process.argv[2] ?? 60))
const bytes = paths.reduce((n,p)=>n+fs.statSync(p).size,0)
const t=performance.now(); const c0=process.cpuUsage()
const r = StatsReport.merge(await StatsPool.run({ files: Files.node, paths, codexHome: os.tmpdir(), jobs: 1 }), "day")
const c=process.cpuUsage(c0); console.log((bytes/1e6).toFixed(0),"MB cpu", ((bytes/1e6)/((c.user+c.system)/1e6)).toFixed(0), "wall",((bytes/1e6)/((performance.now()-t)/1000)).toFixed(0),"MB/s")
