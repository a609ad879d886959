// End to end, on the real bin, what a first-time user meets: every help page shows examples (the
// pages the full CLI alone serves are read in-process), a flag typed before the command is
// explained, text a rollout carries reaches no terminal raw (diagnostics on stderr, resume and fork
// listings, error lines), and a home or file the user may not read is one clear line with exit 2,
// never an "internal error" or "not a rollout".
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { spawn, spawnSync } from "node:child_process"
import { afterAll, describe, expect, it } from "vitest"
import { answer } from "./Bin.js"
import * as Home from "./support/HostileHome.js"

// ESC/CSI, OSC (window title), BEL, CR and a C1 CSI: each makes a terminal act, not show.
const EVIL = "\u001b[31mRED\u001b]0;pwned\u0007\r\u009b2J"
/** Whether `text` holds a character a terminal acts on, other than a newline. */
const active = (text: string): boolean =>
  [...text].some((c) => {
    const n = c.charCodeAt(0)
    return (n < 0x20 && n !== 0x0a) || (n >= 0x7f && n <= 0x9f)
  })

const homes: Array<string> = []
afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true })
})

const made = (threads: ReadonlyArray<Home.Thread>) => {
  const h = Home.make(threads)
  homes.push(h.home)
  return h
}

describe("help for a newcomer", () => {
  it("on a terminal, help is coloured unless NO_COLOR is set (https://no-color.org)", () => {
    // `script` gives the bin a terminal for stdout.
    const onTerminal = (env: Record<string, string>) =>
      spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(Home.bin)} --help`, "/dev/null"], {
        encoding: "utf8",
        env: { ...process.env, ...env }
      }).stdout
    expect(onTerminal({})).toContain("\u001b[")
    const plain = onTerminal({ NO_COLOR: "1" })
    expect(plain).toContain("EXAMPLES")
    expect(plain).not.toContain("\u001b[")
  })

  const commands = ["history", "turns", "export", "info", "validate", "resume", "fork", "trim", "stats", "trace", "convert", "replay"]
  const more = ["ls", "search", "index", "archive", "unarchive", "run", "serve", "sync"]
  // Answers: in-process, but for the commands a quick path of the bin sees first (`Bin.answer`).
  it.each(["", ...commands, ...more])("rollout %s --help shows examples", async (command) => {
    const r = await answer(...(command === "" ? [] : [command]), "--help")
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("EXAMPLES")
  })

  it("the search example of the help finds something in the sample home it names", () => {
    const help = Home.run(["search", "--help"]).stdout
    const example = /^ {2}(rollout search .*)$/m.exec(help.slice(help.indexOf("EXAMPLES")))?.[1]
    expect(example).toBeDefined()
    const words = (example as string).split(" ").slice(1)
    const index = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rollout-example-")), "index.sqlite")
    const r = Home.run([...words, "--index", index])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain("resume:")
  })

  it("rollout help <command> is that command's help, as in git and cargo", async () => {
    const r = await answer("help", "ls")
    expect(r.status).toBe(0)
    expect(r.stdout).toBe((await answer("ls", "--help")).stdout)
  })

  it("a command's flag typed before the command says where it goes", () => {
    const r = Home.run(["--json", "ls"])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe("rollout: --json goes after the command: rollout ls --json. See 'rollout ls --help'.\n")
  })

  it("a time zone that does not exist is named plainly", () => {
    const r = Home.run(["stats", "--timezone", "Bad/Zone"])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(`rollout stats: bad value "Bad/Zone" for --timezone: not an IANA time zone (e.g. UTC, Europe/Paris). See 'rollout stats --help'.\n`)
  })
})

describe("text from a rollout reaches the terminal neutralised", () => {
  const { home, files } = made([
    {
      i: 1,
      message: `question ${EVIL}`,
      extra: [{ type: "response_item", payload: { type: "function_call", name: `tool${EVIL}`, arguments: "{}", call_id: "c1" } }]
    }
  ])
  const [file] = files
  // A torn line of raw bytes carrying the escapes: the reader quotes it in its diagnostic.
  fs.appendFileSync(file ?? "", `{"bad json ${EVIL}\n`)
  const id = Home.idOf(1)

  it.each([
    ["history", id],
    ["turns", id],
    ["resume", id],
    ["fork", id, "--before-user-message", "1"],
    // `--at N` says the problems of lines 1..N only; `--step` (its input closed) says every line's.
    ["replay", id, "--step"],
    ["export", id]
  ])("%s: stdout and stderr hold no control character", (...args) => {
    const r = Home.run([...args, "--codex-home", home])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toContain("invalid_json")
    expect(r.stderr).toContain("\\x1b[31mRED")
    expect(active(r.stderr), r.stderr).toBe(false)
    if (args[0] === "resume" || args[0] === "fork" || args[0] === "turns") {
      expect(r.stdout).toContain("\\x1b[31mRED")
      expect(active(r.stdout), r.stdout).toBe(false)
    }
  })

  it("validate: the problem quoting the torn line shows its escapes escaped", () => {
    const r = Home.run(["validate", file ?? ""])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("invalid_json")
    expect(r.stdout).toContain("\\x1b[31mRED")
    expect(active(r.stdout), r.stdout).toBe(false)
  })

  it("an error line naming a path from the home shows its escapes escaped", () => {
    const dir = path.join(home, `folder${EVIL}`)
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, "rollout-x.jsonl"), "")
    const r = Home.run(["history", dir])
    expect(r.status).toBe(1) // a file that holds no rollout
    expect(r.stderr).toContain("\\x1b[31mRED")
    expect(active(r.stderr), r.stderr).toBe(false)
  })
})

describe.skipIf(Home.noUnprivileged() !== undefined)("what the user may not read (run as an unprivileged user)", () => {
  it("a folder of the home that cannot be listed costs its own files: one line naming it, exit 2, the rest answered", () => {
    const { home } = made([{ i: 1 }, { i: 2 }])
    const locked = path.join(home, "sessions/2026/06/02")
    fs.mkdirSync(locked, { mode: 0o000 })
    fs.chmodSync(locked, 0o000)
    for (const args of [
      ["validate", home, "--json"],
      ["info", home, "--json"],
      ["stats", home, "--no-cache", "--json"]
    ]) {
      const r = Home.runUnprivileged(args, { XDG_CACHE_HOME: Home.scratch() })
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(2)
      expect(r.stderr, args[0]).toContain(`cannot read ${locked}: permission denied`)
      expect(r.stderr, args[0]).not.toMatch(/internal error/)
      expect(r.stdout, args[0]).toContain(args[0] === "stats" ? '"threads":2' : Home.idOf(2).slice(-12))
    }
    // A thread outside the locked folder is found; one that is nowhere says the folder was not read.
    expect(Home.runUnprivileged(["history", Home.idOf(1), "--codex-home", home]).status).toBe(0)
    const none = Home.runUnprivileged(["history", Home.idOf(9), "--codex-home", home])
    expect(none.status).toBe(2)
    expect(none.stderr).toContain("1 folder of it could not be read")
  })

  it("stats of a file the user may not read: a read_error (exit 2), not 'not a rollout'", () => {
    const { files } = made([{ i: 1 }])
    const [file = ""] = files
    fs.chmodSync(file, 0o000)
    const r = Home.runUnprivileged(["stats", file, "--json"], { XDG_CACHE_HOME: Home.scratch() })
    expect(r.status, r.stderr).toBe(2)
    expect(r.stderr).not.toContain("not a rollout")
    const kinds = (JSON.parse(r.stdout) as { diagnostics: Array<{ kind: string }> }).diagnostics.map((d) => d.kind)
    expect(kinds).toEqual(["read_error"])
  })
})

describe("answers that read right", () => {
  it("trim of a thread whose trimmed copy would be larger says it frees nothing, not 'would free -30.2 KiB'", () => {
    // The sample home's paginated fork: trimmed, it carries its parent's history (docs/cli-contract.md).
    const r = Home.run(["trim", "01a1fb98-5691", "--codex-home", path.join(Home.root, "rollouts")])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(
      "01a1fb98-5691-7263-94fa-5eed69d583aa: 28.3 KiB; trimming frees nothing: the trimmed thread would take 58.6 KiB (30.2 KiB more).\nNothing written.\n"
    )
  })
})

describe("an output path that cannot be written", () => {
  it("stats --chart into a folder that does not exist: one line naming it, exit 2, not an internal error", () => {
    const r = Home.run(["stats", "rollouts", "--chart", "/nonexistent-folder/tokens.svg"])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe("rollout: cannot open /nonexistent-folder/tokens.svg: no such file or directory\n")
  })
})

describe("a server that cannot listen", () => {
  /** The bin's exit code and stderr, run without blocking this process (its port is held here). */
  const serve = (args: ReadonlyArray<string>) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [Home.bin, "serve", ...args], {
        cwd: Home.root,
        env: { ...process.env, CODEX_HOME: path.join(Home.root, "rollouts") }
      })
      let stderr = ""
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
      child.on("close", (status) => resolve({ status, stderr }))
      setTimeout(() => child.kill("SIGINT"), 20_000)
    })

  it("a port in use is a usage error naming the address, not an internal error", async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
    const port = (holder.address() as net.AddressInfo).port
    try {
      const r = await serve(["--port", String(port), "--index", path.join(Home.scratch(), "index.sqlite")])
      expect(r.status).toBe(2)
      expect(r.stderr).toBe(
        `rollout serve: cannot listen on 127.0.0.1:${port}: the address is in use (another server? --port 0 picks a free port). See 'rollout serve --help'.\n`
      )
    } finally {
      holder.close()
    }
  }, 30_000)
})
