import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsCopy from "../src/internal/StatsCopy.js"
import * as StatsCopyBytes from "../src/internal/StatsCopyBytes.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "stats-copy-bytes-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Parent lines as bytes: Codex lines, lines without a `type`, blank ones, invalid UTF-8, CRLF ends. */
const parentLine = fc.oneof(
  { arbitrary: fc.nat(30).map((n) => `{"timestamp":"t${n}","type":"event_msg","payload":{"type":"x","n":${n % 7}}}`), weight: 6 },
  fc.nat(5).map((n) => `{"n":${n}}`),
  fc.constantFrom("", "   ", "\t", "\r", "\u00a0", "\ufeff", "é"),
  fc.nat(5).map((n) => `{"timestamp":"t","type":"event_msg","payload":{"n":${n},"bad":"\u0000"}}`),
  fc.nat(5).map((n) => `{"timestamp":"t","type":"event_msg","payload":{"n":${n}}}\r`)
)
const bytes = (line: string, invalid: boolean): Buffer => {
  const b = Buffer.from(line)
  if (!invalid || b.length < 3) return b
  // A stray continuation byte or a truncated sequence: decoded as U+FFFD by the text reader.
  return Buffer.concat([b.subarray(0, 2), Buffer.of(0xc3), b.subarray(2)])
}

const parentFile = fc.record({
  lines: fc.array(
    fc.tuple(
      parentLine,
      fc.nat(9).map((k) => k === 0)
    ),
    { maxLength: 40 }
  ),
  bom: fc.boolean(),
  torn: fc.boolean(),
  /** Padding that pushes lines across the reader's 1 MiB chunks (twice: a file crosses one, its earlier keys still held). */
  pad: fc.constantFrom(0, 0, 0, 600_000)
})

type ParentFile = typeof parentFile extends fc.Arbitrary<infer A> ? A : never

let n = 0
const write = (f: ParentFile): string => {
  const parts: Array<Buffer> = f.bom ? [Buffer.of(0xef, 0xbb, 0xbf)] : []
  for (const [i, [line, invalid]] of f.lines.entries()) {
    if (f.pad > 0 && (i === 1 || i === 20)) parts.push(Buffer.from(`{"type":"pad","x":"${"p".repeat(f.pad)}"}\n`))
    parts.push(bytes(line, invalid), Buffer.from(f.torn && i === f.lines.length - 1 ? "" : "\n"))
  }
  const file = path.join(root, `p${n++}.jsonl`)
  fs.writeFileSync(file, Buffer.concat(parts))
  return file
}

/** The fork's lines: parent lines with new timestamps, some left out, strangers put in. */
const forkOf = (parentLines: ReadonlyArray<string>, picks: ReadonlyArray<number>): Array<Buffer> =>
  picks.map((p) => {
    const line = parentLines[p % Math.max(1, parentLines.length)] ?? "{}"
    return Buffer.from(
      p % 5 === 4 ? `{"timestamp":"z","type":"event_msg","payload":{"type":"own","n":${p}}}` : line.replace(/"timestamp":"[^"]*"/, '"timestamp":"new"')
    )
  })

describe("StatsCopyBytes", () => {
  it("matches a fork's lines against its parents exactly as StatsCopy matches their text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(parentFile, { minLength: 1, maxLength: 2 }), fc.array(fc.nat(60), { maxLength: 60 }), async (parents, picks) => {
        const paths = parents.map(write)
        const text = new StatsCopy.Copy(Files.nodeBlocking, paths)
        const onBytes = new StatsCopyBytes.Copy(paths)
        // The parents' lines as text (U+FFFD for their invalid bytes): a fork line is valid UTF-8, as the fast reader checks.
        const fork = forkOf(
          parents.flatMap((p) => p.lines.map(([l, invalid]) => bytes(l, invalid).toString("utf8"))),
          picks
        )
        for (const line of fork) {
          const buf = Buffer.concat([Buffer.from("xx"), line, Buffer.from("\n")])
          const want = await text.matches(line.toString("utf8"))
          expect([line.toString(), onBytes.matches(buf, 2, 2 + line.length)]).toEqual([line.toString(), want])
        }
        await text.close()
        onBytes.close()
      }),
      { numRuns: 200 }
    )
  })

  it("refuses a parent it cannot read as StatsCopy does", () => {
    expect(() => new StatsCopyBytes.Copy(["a.jsonl.zst"])).toThrow(StatsCopyBytes.Unsure)
    const copy = new StatsCopyBytes.Copy([path.join(root, "missing.jsonl")])
    expect(() => copy.matches(Buffer.from("{}"), 0, 2)).toThrow(StatsCopyBytes.Unsure)
  })
})
