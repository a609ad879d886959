import * as CommandText from "../src/internal/CommandText.js"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"

/** A POSIX reading of what `quote` writes: bare words, '…' and "…" with \\ \" \$ \` escapes. */
const unquote = (text: string): string => {
  let out = ""
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      out += text.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      for (i++; text[i] !== '"'; i++) out += text[i] === "\\" && /[\\"$`]/.test(text[i + 1] ?? "") ? (text[++i] as string) : text[i]
    } else out += c
  }
  return out
}

describe("CommandText.quote", () => {
  it("given the tokens Codex showed (real 0.169-0.171 recordings) and shlex's own cases, then it quotes them the same way", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["", "''"],
      ["foobar", "foobar"],
      ["foo bar", "'foo bar'"],
      ["'\"", '"\'\\""'],
      ["printf 'one\\ntwo\\n'", "\"printf 'one\\\\ntwo\\\\n'\""],
      ['echo "it\'s" && exit 3', '"echo \\"it\'s\\" && exit 3"'],
      ["it's $HOME", "\"it's \"'$HOME'"],
      ["^x", "'^x'"],
      ["a=b,c", "'a=b,c'"],
      ["naïve", "'naïve'"],
      ["-lc", "-lc"]
    ]
    for (const [token, shown] of cases) expect([token, CommandText.quote(token)]).toEqual([token, shown])
  })

  it("given any token, when quoted and read back as a POSIX shell word, then it is the token", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "'", '"', "\\", "$", "`", "!", "^", "=", "é", "\n", "-") }), (token) => {
        expect(unquote(CommandText.quote(token))).toBe(token)
      }),
      { numRuns: 2000 }
    )
  })
})
