import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
const file = process.argv[2]
for (let r = 0; r < 3; r++) {
  let bytes = 0
  const t = performance.now()
  const output = Output.make((text) => (bytes += Buffer.byteLength(text)), (text) => process.stderr.write(text), false)
  await main(["history", file, "--json"], output)
  console.log(bytes, (performance.now() - t).toFixed(0), "ms")
}
