// End to end, on the real bin, what the last stranger passes found: a home scan that stepped over
// a dangling link, a FIFO or a folder named like a rollout without a word; validate's line count
// and a file holding only a BOM; flag values that got a vaguer message than their neighbours; and
// history or export printing one stderr line per bad line of a damaged file.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const { home, scratch } = Home.tracked()
/** The bin with a time limit: a FIFO opened by mistake would block it forever. */
const run = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [Home.bin, ...args], { encoding: "utf8", cwd: Home.root, timeout: 60_000 })
  expect(r.error, `${args.join(" ")} timed out`).toBeUndefined()
  return r
}

describe("a home scan names the entries it steps over", () => {
  const odd = () => {
    const h = home([{ i: 1 }])
    const day = path.dirname(h.files[0] ?? "")
    const name = (i: number) => path.join(day, `rollout-2026-06-01T00-0${i}-00-${Home.idOf(i)}.jsonl`)
    fs.symlinkSync(path.join(h.home, "gone.jsonl"), name(2))
    spawnSync("mkfifo", [name(3)])
    fs.mkdirSync(name(4))
    return { h, dangling: name(2), fifo: name(3), folder: name(4) }
  }

  it("validate, info, index, ls and stats each say which entry and why, on stderr, without hanging or failing", () => {
    const { h, dangling, fifo, folder } = odd()
    const index = path.join(scratch(), "i.sqlite")
    for (const args of [
      ["validate", h.home],
      ["info", h.home],
      ["index", "--codex-home", h.home, "--index", index],
      ["ls", "--codex-home", h.home, "--index", index],
      // stats' quick path, then the full CLI (a `--flag=value` is left to it).
      ["stats", h.home, "--no-cache"],
      ["stats", h.home, "--no-cache", "--by=day"]
    ]) {
      const r = run(args)
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0)
      expect(r.stderr, args[0]).toContain(dangling)
      expect(r.stderr, args[0]).toContain("a symbolic link to nothing")
      expect(r.stderr, args[0]).toContain(fifo)
      // Said once per run, not once per place that learns of it.
      expect(r.stderr.split(fifo).length - 1, args.join(" ")).toBe(1)
      expect(r.stderr, args[0]).toContain("a named pipe (FIFO)")
      expect(r.stderr, args[0]).toContain(folder)
      expect(r.stderr, args[0]).toContain("a folder named like a rollout file")
    }
    // Said again by the next listing, as an unreadable folder is: the index does not forget it.
    expect(run(["ls", "--codex-home", h.home, "--index", index]).stderr).toContain("a named pipe (FIFO)")
  })

  it("validate --json adds `skipped` only when something was stepped over; a clean home's document is as before", () => {
    const { h, fifo } = odd()
    const doc = JSON.parse(run(["validate", h.home, "--json"]).stdout) as { files: Array<unknown>; skipped: Array<{ path: string; message: string }> }
    expect(doc.files).toHaveLength(1)
    expect(doc.skipped.find((s) => s.path === fifo)?.message).toBe("a named pipe (FIFO)")
    expect(doc.skipped).toHaveLength(3)
    const clean = home([{ i: 1 }])
    expect(Object.keys(JSON.parse(run(["validate", clean.home, "--json"]).stdout))).toEqual(["files"])
  })

  it("a symlinked rollout is validated like any other (ls already read it)", () => {
    const h = home([{ i: 1 }])
    const elsewhere = home([{ i: 2 }])
    const link = path.join(path.dirname(h.files[0] ?? ""), path.basename(elsewhere.files[0] ?? ""))
    fs.symlinkSync(elsewhere.files[0] ?? "", link)
    const doc = JSON.parse(run(["validate", h.home, "--json"]).stdout) as { files: Array<{ path: string }> }
    expect(doc.files.map((f) => f.path)).toContain(link)
  })
})

describe("validate counts every line and calls a BOM-only file empty", () => {
  const file = (bytes: string | Uint8Array) => {
    const p = path.join(scratch(), "rollout-2026-06-01T00-00-00-0198f2a4-0000-7000-8000-000000000001.jsonl")
    fs.writeFileSync(p, bytes)
    return p
  }
  const report = (p: string) =>
    (JSON.parse(run(["validate", p, "--json"]).stdout) as { files: Array<{ lines: number; problems: Array<{ kind: string }> }> }).files[0]

  it("trailing blank lines are lines (as Codex's reader splits the file); the empty text after the last newline is not", () => {
    const h = home([{ i: 1 }])
    const text = fs.readFileSync(h.files[0] ?? "", "utf8")
    const n = text.split("\n").length - 1
    expect(report(file(text))?.lines).toBe(n)
    expect(report(file(`${text}\n\n`))?.lines).toBe(n + 2)
    expect(report(file(`${text}  \r\n`))?.lines).toBe(n + 1)
    // The same file as a segment: its line count is the JSONL's.
    const seg = path.join(scratch(), "rollout-2026-06-01T00-00-00-0198f2a4-0000-7000-8000-000000000001.rseg")
    expect(run(["convert", file(`${text}\n\n`), seg]).status).toBe(0)
    expect(report(seg)?.lines).toBe(n + 2)
  })

  it("a file holding only a BOM (or a BOM and blank lines) is reported as a BOM and as empty", () => {
    for (const bytes of ["\ufeff", "\ufeff\n\n"]) {
      const r = report(file(bytes))
      expect(r?.problems.map((p) => p.kind)).toEqual(["bom", "empty_file"])
    }
    const r = run(["validate", file("\ufeff")])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("the file holds only a byte order mark")
  })
})

describe("flag values get the same one-line message whatever was typed", () => {
  const usage = (args: ReadonlyArray<string>, expected: string) => {
    const r = run(args)
    expect(r.status, args.join(" ")).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe(`rollout ${args[0]}: ${expected}. See 'rollout ${args[0]} --help'.\n`)
  }

  it("an empty --timezone is a bad value like any other name", () => {
    usage(["stats", "--timezone", ""], 'bad value "" for --timezone: not an IANA time zone (e.g. UTC, Europe/Paris)')
    usage(["export", "x.jsonl", "--timezone", ""], 'bad value "" for --timezone: not an IANA time zone (e.g. UTC, Europe/Paris)')
  })

  it("--jobs abc, --jobs '' and --limit 1.5 name the range, as 0 does", () => {
    usage(["stats", "--jobs", "abc"], 'bad value "abc" for --jobs: expected a whole number from 1 to 256')
    usage(["stats", "--jobs", ""], 'bad value "" for --jobs: expected a whole number from 1 to 256')
    usage(["stats", "--jobs", "0"], 'bad value "0" for --jobs: expected a whole number from 1 to 256')
    usage(["ls", "--limit", "1.5"], 'bad value "1.5" for --limit: expected a whole number from 1 to 100')
    usage(["replay", "x.jsonl", "--at", "x"], 'bad value "x" for --at: expected a whole number, 1 or more')
    // No word at all after the flag is still "needs a value".
    usage(["stats", "--jobs"], "--jobs needs a value (N)")
  })

  it("a missing --pricing file is one line in words, not the system's ENOENT", () => {
    const missing = path.join(scratch(), "prices.json")
    usage(["stats", "--pricing", missing], `cannot read --pricing ${missing}: no such file or directory`)
  })
})

describe("history and export cap their diagnostics as stats does", () => {
  it("a rollout with 500 bad lines: the first 20 on stderr, then one line counting the rest", () => {
    const bad = Array.from({ length: 500 }, (_, i) => `not json ${i}`)
    const h = home([{ i: 1, extra: [] }])
    fs.appendFileSync(h.files[0] ?? "", `${bad.join("\n")}\n`)
    for (const args of [
      ["history", h.files[0] ?? "", "--json"],
      ["history", h.files[0] ?? ""],
      ["export", h.files[0] ?? ""]
    ]) {
      const r = run(args)
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0)
      const lines = r.stderr.split("\n").filter((l) => l !== "")
      expect(lines, args.join(" ")).toHaveLength(21)
      expect(lines[0]).toContain("invalid_json")
      expect(lines[20]).toBe("rollout: … and 480 more diagnostics (500 in all; rollout validate lists every one)")
    }
  })
})

describe("this pass: what a stranger met next", () => {
  it("a long flag typed with one dash is one message with the two-dash spelling, not one per letter", () => {
    const r = run(["ls", "-json"])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe("rollout ls: unknown flag -json (a long flag takes two dashes: --json). See 'rollout ls --help'.\n")
  })

  it.skipIf(Home.noUnprivileged() !== undefined)("a file the user may not read says 'permission denied' in words, not the system's EACCES line", () => {
    const h = home([{ i: 1 }])
    const locked = h.files[0] ?? ""
    fs.chmodSync(locked, 0o600)
    for (const args of [
      ["history", locked],
      ["export", locked],
      ["info", locked],
      ["resume", locked],
      ["validate", locked, "--json"]
    ]) {
      const r = Home.runUnprivileged(args)
      expect(r.status, args[0]).toBe(2)
      expect(`${r.stdout}${r.stderr}`, args[0]).toContain(`cannot read ${locked}: permission denied`)
      expect(`${r.stdout}${r.stderr}`, args[0]).not.toContain("EACCES")
    }
  })

  it("a 100 KB argument is quoted cut, not whole, in the one error line (quick paths and the full CLI)", () => {
    const long = "x".repeat(100_000)
    for (const args of [["ls", long], ["history", long], ["stats", "--timezone", long], ["export", long], [`nope${long}`]]) {
      const r = run(args)
      expect(r.status, args[0]).toBe(2)
      expect(r.stderr.length, args[0]).toBeLessThan(2_000)
      expect(r.stderr, args[0]).toMatch(/x… \(100\d{3} characters\)/)
      expect(r.stderr.endsWith("\n"), args[0]).toBe(true)
    }
  })

  it.skipIf(Home.noUnprivileged() !== undefined)(
    "stats with nothing readable says why and prints no table of zeros; one unreadable folder of a home hides nothing else",
    () => {
      const h = home([{ i: 1 }, { i: 2, dir: "2026/06/02" }])
      const locked = h.files[1] ?? ""
      fs.chmodSync(locked, 0o600)
      // The quick path, then the full CLI (a `--flag=value` is left to it).
      for (const tail of [["--no-cache"], ["--no-cache", "--by=day"]]) {
        const alone = Home.runUnprivileged(["stats", locked, ...tail])
        expect(alone.status, tail.join(" ")).toBe(2)
        expect(alone.stdout, tail.join(" ")).toBe("")
        expect(alone.stderr, tail.join(" ")).toBe(`rollout stats: cannot read ${locked}: permission denied\n`)
        // Scripts keep the report and its diagnostics.
        const json = Home.runUnprivileged(["stats", locked, "--json", ...tail])
        expect(json.status).toBe(2)
        expect((JSON.parse(json.stdout) as { diagnostics: Array<{ kind: string }> }).diagnostics.map((d) => d.kind)).toEqual(["read_error"])
        // A home whose second day folder is locked: the first day's thread is still counted and shown.
        fs.chmodSync(path.dirname(locked), 0o700)
        const partly = Home.runUnprivileged(["stats", h.home, ...tail])
        fs.chmodSync(path.dirname(locked), 0o755)
        expect(partly.status, tail.join(" ")).toBe(2)
        expect(partly.stdout, tail.join(" ")).toMatch(/^Tokens by day \(1 files, 1 threads/)
        expect(partly.stdout).toContain("Diagnostics: 1")
      }
    }
  )
})
