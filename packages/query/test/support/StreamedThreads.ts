/**
 * What the tests of the streamed (two-pass) readers share: one rollout served from memory in small
 * chunks (so the fold hands turns out between most lines) with its diagnostics gathered, every
 * rollout fixture, and the history fixtures' lines run together under one session_meta (ids
 * repeat, rollbacks reach back, turns complete late). Each test holds its streamed answer to the
 * held one on these.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "../../src/Diagnostics.js"

export const root = path.resolve(import.meta.dirname, "../../../..")
export const home = "/nowhere/.codex"
export const file = "/r/rollout.jsonl"

/**
 * A chunk size that serves any test file in one piece: for the held answers, which do not depend on
 * how the file is served (a streamed answer read in small chunks is held to one read this way, so
 * that a chunk-dependent answer on either side shows), at a fraction of a small-chunk read's cost.
 */
export const whole = 1 << 30

/**
 * The first pass's filter of seen ids for streamed reads here, 2^16 bits: for a test file's few
 * hundred ids it answers "not seen" as surely as the default 2^28 bits, and the filter's size only
 * decides how many notes the pass keeps, never the answer (a tiny filter, which notes nearly every
 * id, is tested beside it). The default's 32 MiB table, allocated on every streamed read, made the
 * collector a third of these tests' time.
 */
export const seenBitsLog2 = 16

/** `effect` over `file` holding `text`, read `chunk` bytes at a time: its result and the diagnostics it reported. */
export const run = <A, E>(text: string, chunk: number, effect: Effect.Effect<A, E, Files.Files | Diagnostics.Diagnostics>) => {
  let problems = ""
  const layer = Layer.mergeAll(
    Files.layerMemory({ [file]: text }, chunk),
    Diagnostics.layer((t) => (problems += t))
  )
  return Effect.runPromise(effect.pipe(Effect.result, Effect.provide(layer))).then((r) => ({ r, problems }))
}

const rollouts = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name)
    return d.isDirectory() ? rollouts(p) : d.name.endsWith(".jsonl") && !p.includes(`${path.sep}trace`) ? [p] : []
  })

/** Every rollout fixture (trace bundles left out). */
export const fixtures: ReadonlyArray<string> = rollouts(path.join(root, "fixtures"))

/** The history fixtures' lines under the first session_meta: forward, backward, forward again. */
export const runTogether = (): string => {
  const lines = fixtures
    .filter((f) => f.includes(`${path.sep}history${path.sep}`) || f.includes("thread-history"))
    .flatMap((f) => fs.readFileSync(f, "utf8").split("\n"))
    .filter((l) => l.trim() !== "")
  const meta = lines.find((l) => l.includes('"type":"session_meta"')) as string
  const body = lines.filter((l) => !l.includes('"type":"session_meta"'))
  return `${meta}\n${[...body, ...body.slice().reverse(), ...body].join("\n")}\n`
}
