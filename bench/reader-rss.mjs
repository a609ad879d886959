// Child process: reads one rollout with the Effect stream and prints its peak RSS.
import { Effect, Stream } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"

const lines = await Effect.runPromise(
  RolloutReader.stream(process.argv[2]).pipe(
    Stream.runFold(
      () => 0,
      (n, e) => (e._tag === "Line" ? n + 1 : n)
    ),
    Effect.provide(Files.layerNode)
  )
)
process.stdout.write(JSON.stringify({ lines, maxRss: process.resourceUsage().maxRSS * 1024 }))
