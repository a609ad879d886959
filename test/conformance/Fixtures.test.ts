/**
 * Every rollout on disk in this repository (fixtures/ and the sample Codex home rollouts/, found
 * anew on each run, so added files are checked without editing this test; folders named `faulty`
 * hold deliberately broken files and are skipped) reads cleanly, types line by line, comes back
 * byte for byte from the lossless codec, and — unless an entry below explains why not — is
 * exactly what our canonical writer produces from the typed line.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import type { LogLine } from "@rollout/log/LineFramer"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as RolloutLine from "@rollout/protocol/RolloutLine"

const repo = fileURLToPath(new URL("../../", import.meta.url))
const roots = ["fixtures", "rollouts"]

/**
 * Files that are not rollouts although they end in `.jsonl`: `session_index.jsonl` is Codex's
 * thread-name index (`{"id","thread_name","updated_at"}` per line, spec §1.1); `trace.jsonl` is a
 * rollout-trace bundle's raw event log (rollout-trace spec §1.3, checked by TraceFixtures.test.ts).
 */
const notRollouts = new Set(["session_index.jsonl", "trace.jsonl"])

const discover = (dir: string): Array<string> => {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "faulty" ? [] : discover(full)
    const isRollout = entry.name.endsWith(".jsonl") || entry.name.endsWith(".jsonl.zst")
    return entry.isFile() && isRollout && !notRollouts.has(entry.name) ? [full] : []
  })
}

const files = roots.flatMap((root) => discover(path.join(repo, root))).map((file) => path.relative(repo, file).split(path.sep).join("/"))

/**
 * Decodes that are `Unknown` on purpose: line types or tags this version genuinely does not type,
 * by `what` (`<type>` or `<type>/<tag>`). None so far.
 */
const knownUnknowns: ReadonlyMap<string, string> = new Map([
  // ["<what>", "<why this version does not type it>"],
])

/**
 * Lines whose canonical encoding differs from the bytes Codex wrote, keyed `<file>:<line>`, each
 * with the reason (spec §8). Only reasons the spec gives belong here: number spelling or
 * integer-like key order inside an opaque subtree (JSON.parse loses both, §8.6), and hash-map
 * fields whose key order Codex does not define (§8.11). The lossless codec still returns the raw
 * bytes for these lines; only the rebuilt text differs.
 */
const canonicalExceptions: ReadonlyMap<string, string> = new Map([
  // ["fixtures/<case>/input.jsonl:<line>", "<reason, naming the field and the spec rule>"],
  ...["fixtures/reader/sample.jsonl:2", "fixtures/reader/sample.jsonl.zst:2"].map(
    (key) =>
      [
        key,
        "turn_context in the spec's G3 example order (sandbox_policy after approval_policy); Codex 0.169 writes sandbox_policy after summary, which is the order we write"
      ] as const
  )
])

/**
 * Fixture cases damaged on purpose (outside a `faulty` folder because a reducer case needs the
 * damage next to good lines), with the exact reader diagnostics each must give; every other line
 * is held to the same rules as the rest.
 */
const damagedOnPurpose: ReadonlyMap<string, ReadonlyArray<string>> = new Map([
  ["fixtures/resume/bom-first-line/input.jsonl", ["1: bom the file starts with a UTF-8 byte order mark (skipped here; Codex cannot parse the first line)"]],
  [
    "fixtures/resume/garbage-line-before-checkpoint/input.jsonl",
    [
      "9: invalid_json not JSON (Expected property name or '}' in JSON at position 1): {this is not json",
      "10: not_an_object expected a JSON object, got an array: [1,2,3]"
    ]
  ],
  ["fixtures/resume/torn-last-line/input.jsonl", ["19: truncated_line the last line is cut off after 86 bytes (no newline, incomplete JSON)"]]
])

/**
 * Where the canonical text first departs from the raw one, for the failure message: a key order
 * or a value at a path, else (same structure, different spelling) the first differing characters.
 */
const firstDifference = (raw: string, canonical: string): string => {
  const walk = (a: unknown, b: unknown, at: string): string | undefined => {
    if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
      return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${at}: ${JSON.stringify(a)} written as ${JSON.stringify(b)}`
    }
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.join() !== kb.join()) return `${at}: keys [${ka.join(",")}] written as [${kb.join(",")}]`
    for (const k of ka) {
      const found = walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`)
      if (found !== undefined) return found
    }
    return undefined
  }
  const structural = walk(JSON.parse(raw), JSON.parse(canonical), "$")
  if (structural !== undefined) return structural
  let i = 0
  while (i < raw.length && raw[i] === canonical[i]) i++
  return `spelling at ${i}: …${raw.slice(Math.max(0, i - 30), i + 30)}… written as …${canonical.slice(Math.max(0, i - 30), i + 30)}…`
}

interface FileReport {
  readonly diagnostics: Array<string>
  readonly unexpected: Array<string>
  readonly lossy: Array<string>
  readonly mismatches: Array<string>
  readonly excepted: Array<string>
  lines: number
}

const check = async (file: string): Promise<FileReport> => {
  const report: FileReport = { diagnostics: [], unexpected: [], lossy: [], mismatches: [], excepted: [], lines: 0 }
  for await (const batch of RolloutReader.batches(Files.node, path.join(repo, file))) {
    for (const entry of batch) {
      if (entry._tag === "Diagnostic") {
        report.diagnostics.push(`${entry.line}: ${entry.kind} ${entry.message}`)
        continue
      }
      const line: LogLine = entry
      const key = `${file}:${line.line}`
      const record = RolloutCodec.decode(line)
      report.lines += 1
      if (RolloutCodec.encode(record) !== line.raw) report.lossy.push(key)
      const decoded = record.decoded
      if (decoded._tag !== "Known") {
        if (decoded._tag === "Invalid" || !knownUnknowns.has(decoded.what)) {
          report.unexpected.push(`${key} ${decoded._tag} ${decoded.what}${decoded._tag === "Invalid" ? `: ${decoded.message}` : ""}`)
        }
        continue
      }
      const canonical = RolloutLine.encode(decoded.line)
      if (canonical === line.raw) continue
      if (canonicalExceptions.has(key)) report.excepted.push(key)
      else report.mismatches.push(`${key} ${firstDifference(line.raw, canonical)}`)
    }
  }
  return report
}

describe("rollout files in the repository", () => {
  it("given the repository, then there are rollout files to check", () => {
    expect(files.length).toBeGreaterThan(0)
  })

  it.each(files)("given %s, when every line is read, typed and written back, then nothing is lost or unexplained", async (file) => {
    const report = await check(file)
    expect(report.diagnostics, "reader diagnostics").toEqual(damagedOnPurpose.get(file) ?? [])
    expect(report.lines).toBeGreaterThan(0)
    expect(report.unexpected, "lines that are not Known").toEqual([])
    expect(report.lossy, "lines the lossless codec does not give back").toEqual([])
    expect(report.mismatches, "canonical encodings that differ from the raw text").toEqual([])
    const stale = [...canonicalExceptions.keys()].filter((k) => k.startsWith(`${file}:`) && !report.excepted.includes(k))
    expect(stale, "exceptions that no longer apply").toEqual([])
  })

  it("given the exception list, then every entry names a file that is checked", () => {
    const unknownFiles = [...canonicalExceptions.keys()].filter((k) => !files.includes(k.slice(0, k.lastIndexOf(":"))))
    expect(unknownFiles).toEqual([])
    expect([...damagedOnPurpose.keys()].filter((f) => !files.includes(f))).toEqual([])
  })
})
