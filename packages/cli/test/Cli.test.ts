import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect, Exit, Layer } from "effect"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Cli from "@rollout/cli/Cli"
import * as Files from "@rollout/log/Files"
import * as Input from "../src/Input.js"
import * as Output from "../src/Output.js"
import * as Usage from "../src/Usage.js"

const names = Object.keys(Cli.commands)

/** What `main` answers to `argv`, and what the root command over `subcommands` presents for it. */
const answers = async (argv: ReadonlyArray<string>, subcommands: Awaited<ReturnType<typeof Cli.all>>) => {
  const viaMain = Output.buffer()
  const status = await Cli.main(argv, viaMain)
  const output = Output.buffer()
  const services = Layer.mergeAll(
    NodeServices.layer,
    Output.layer(output),
    Layer.succeed(Files.Files, Files.node),
    Input.layer(Input.none),
    CliOutput.layerPresenter(Usage.presenter(output))
  )
  const exit = await Effect.runPromiseExit(Command.runWith(Cli.rollout(subcommands), { version: Cli.VERSION })(argv).pipe(Effect.provide(services)))
  return { main: { status, out: viaMain.out(), err: viaMain.err() }, tree: { failed: Exit.isFailure(exit), out: output.out(), err: output.err() } }
}

/** A name with one letter dropped, doubled, changed or swapped with the next: the typos a suggestion is for. */
const typo = fc
  .tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom("drop", "double", "change", "swap"), fc.constantFrom(..."aeiostx"))
  .map(([name, n, how, letter]) => {
    const i = n % name.length
    const [a, b] = [name.slice(0, i), name.slice(i)]
    switch (how) {
      case "drop":
        return a + b.slice(1)
      case "double":
        return a + (b[0] ?? "") + b
      case "change":
        return a + letter + b.slice(1)
      case "swap":
        return a + (b[1] ?? "") + (b[0] ?? "") + b.slice(2)
    }
  })

describe("Cli: lazy subcommands", () => {
  it("each entry of the table loads the subcommand of that name, in the listed order", async () => {
    const names = Object.keys(Cli.commands)
    expect((await Cli.all()).map((c) => c.name)).toEqual(names)
  })

  it("a command line naming a subcommand first reaches that subcommand alone", async () => {
    for (const name of Object.keys(Cli.commands)) {
      expect((await Cli.reachable([name, "--help"])).map((c) => c.name)).toEqual([name])
    }
  })

  it("a bare --version reaches no subcommand; help, a mistyped name or a flag first reach them all", async () => {
    expect(await Cli.reachable(["--version"])).toEqual([])
    expect(await Cli.reachable(["-v"])).toEqual([])
    const all = Object.keys(Cli.commands)
    for (const argv of [[], ["--help"], ["histroy"], ["--version", "ls"], ["--completions", "bash"]]) {
      expect((await Cli.reachable(argv)).map((c) => c.name)).toEqual(all)
    }
  })

  it("a mistyped name alone, answered from the names only, gets the full tree's line and suggestions, exit 2", async () => {
    const full = await Cli.all()
    const cases: Array<string> = []
    await fc.assert(
      fc.asyncProperty(fc.oneof(typo, fc.string({ maxLength: 8 })), async (word) => {
        fc.pre(!names.includes(word) && word !== "help" && !word.startsWith("-"))
        const { main, tree } = await answers([word], full)
        expect(tree.failed).toBe(true)
        expect(main).toEqual({ status: 2, out: tree.out, err: tree.err })
        expect(main.err).toMatch(/^rollout: unknown command /)
        cases.push(main.err)
      }),
      { numRuns: 150 }
    )
    // Not vacuous: suggestions were made and compared.
    expect(cases.filter((e) => e.includes("did you mean")).length).toBeGreaterThan(20)
  })
})
