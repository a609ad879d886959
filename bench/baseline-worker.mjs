// A worker lane of `bareParseLanes`: parses each file it is sent and answers its line count.
import { parentPort } from "node:worker_threads"
import { bareParse } from "./baseline.mjs"

parentPort.on("message", (path) => parentPort.postMessage(bareParse(path)))
