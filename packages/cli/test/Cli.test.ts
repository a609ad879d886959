import { describe, expect, it } from "vitest"
import * as Cli from "@rollout/cli/Cli"

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
})
