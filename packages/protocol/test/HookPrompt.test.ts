import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ContentItem } from "@rollout/protocol/ContentItem"
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItem from "@rollout/protocol/ResponseItem"

const text = (t: string): ContentItem => ({ type: "input_text", text: t })

describe("HookPrompt build", () => {
  it("given one fragment and an id, when the message is built, then it is the message Codex records", () => {
    const message = HookPrompt.buildMessage(
      [{ text: "Run the tests before finishing & report results.", hookRunId: "stop:0:/home/ana/.codex/hooks.json" }],
      "msg_0198f2a6-1111-7222-8333-444455556666"
    )
    expect(message).toBeDefined()
    if (message === undefined) return
    expect(Json.stringify(ResponseItem.ResponseItem.encode(message))).toBe(
      String.raw`{"type":"message","id":"msg_0198f2a6-1111-7222-8333-444455556666","role":"user","content":[{"type":"input_text","text":"<hook_prompt hook_run_id=\"stop:0:/home/ana/.codex/hooks.json\">Run the tests before finishing &amp; report results.</hook_prompt>"}]}`
    )
  })

  it("given several fragments and no id, when the message is built, then there is one input_text per fragment in order and no id", () => {
    const message = HookPrompt.buildMessage(
      [
        { text: "Retry with care & joy.", hookRunId: "hook-run-1" },
        { text: "Then summarize cleanly.", hookRunId: "hook-run-2" }
      ],
      undefined
    )
    if (message === undefined) throw new Error("expected a message")
    expect(Json.stringify(ResponseItem.ResponseItem.encode(message))).toBe(
      String.raw`{"type":"message","role":"user","content":[{"type":"input_text","text":"<hook_prompt hook_run_id=\"hook-run-1\">Retry with care &amp; joy.</hook_prompt>"},{"type":"input_text","text":"<hook_prompt hook_run_id=\"hook-run-2\">Then summarize cleanly.</hook_prompt>"}]}`
    )
  })

  it("given fragments with empty or whitespace-only ids, when built, then they are dropped", () => {
    const built = HookPrompt.build([
      { text: "a", hookRunId: "" },
      { text: "b", hookRunId: " \t\n" },
      { text: "c", hookRunId: "h" }
    ])
    expect(built).toEqual([{ type: "input_text", text: '<hook_prompt hook_run_id="h">c</hook_prompt>' }])
  })

  it("given only blank ids, when the message is built, then there is no message", () => {
    expect(HookPrompt.buildMessage([{ text: "a", hookRunId: "  " }], "msg_1")).toBeUndefined()
    expect(HookPrompt.buildMessage([], "msg_1")).toBeUndefined()
  })

  it("given quotes, apostrophes and markup in the text, when rendered, then only & < > are escaped", () => {
    expect(HookPrompt.renderFragment({ text: `say "waves" isn't <b> & a>b`, hookRunId: "h" })).toBe(
      `<hook_prompt hook_run_id="h">say "waves" isn't &lt;b&gt; &amp; a&gt;b</hook_prompt>`
    )
  })

  it('given special characters in the id, when rendered, then & < > " are escaped and newlines stay raw', () => {
    expect(HookPrompt.renderFragment({ text: "t\n\tü", hookRunId: `a"b'<c>&\n` })).toBe(
      `<hook_prompt hook_run_id="a&quot;b'&lt;c&gt;&amp;\n">t\n\tü</hook_prompt>`
    )
  })

  it("given an empty text, when rendered, then the element is self-closing", () => {
    expect(HookPrompt.renderFragment({ text: "", hookRunId: "h" })).toBe('<hook_prompt hook_run_id="h"/>')
  })
})

describe("HookPrompt parseFragment", () => {
  it.each([
    ['<hook_prompt hook_run_id="h">Retry with care &amp; joy.</hook_prompt>', { text: "Retry with care & joy.", hookRunId: "h" }],
    ['  \n<hook_prompt hook_run_id="h">x</hook_prompt>\n ', { text: "x", hookRunId: "h" }],
    ["<hook_prompt hook_run_id='single'>x</hook_prompt>", { text: "x", hookRunId: "single" }],
    ['<hook_prompt\n  other="1"  hook_run_id = "h" >x</hook_prompt >', { text: "x", hookRunId: "h" }],
    ['<hook_prompt hook_run_id="h"><![CDATA[a <b> & c]]> d</hook_prompt>', { text: "a <b> & c d", hookRunId: "h" }],
    ['<hook_prompt hook_run_id="h">&#65;&#x42;&lt;&gt;&quot;&apos;</hook_prompt>', { text: "AB<>\"'", hookRunId: "h" }],
    ['<hook_prompt hook_run_id="a&amp;b">x<!-- note -->y</hook_prompt>', { text: "xy", hookRunId: "a&b" }],
    ['<hook_prompt hook_run_id="h"/>', { text: "", hookRunId: "h" }],
    ['<hook_prompt hook_run_id="h"></hook_prompt>', { text: "", hookRunId: "h" }],
    ['<hook_prompt hook_run_id="h">  keep spaces  </hook_prompt>', { text: "  keep spaces  ", hookRunId: "h" }]
  ])("given %s, when parsed, then it is a fragment", (input, expected) => {
    expect(HookPrompt.parseFragment(input)).toEqual(expected)
  })

  it.each([
    ["plain text", "fix the failing test"],
    ["another element", '<hook_prompts hook_run_id="h">x</hook_prompts>'],
    ["a missing id", "<hook_prompt>x</hook_prompt>"],
    ["a blank id", '<hook_prompt hook_run_id="  ">x</hook_prompt>'],
    ["an unclosed element", '<hook_prompt hook_run_id="h">x'],
    ["text after the element", '<hook_prompt hook_run_id="h">x</hook_prompt> more'],
    ["two elements", '<hook_prompt hook_run_id="a">x</hook_prompt><hook_prompt hook_run_id="b">y</hook_prompt>'],
    ["a child element", '<hook_prompt hook_run_id="h">x<b>y</b></hook_prompt>'],
    ["an unknown entity", '<hook_prompt hook_run_id="h">&nbsp;</hook_prompt>'],
    ["a bare ampersand", '<hook_prompt hook_run_id="h">a & b</hook_prompt>'],
    ["an unquoted attribute", "<hook_prompt hook_run_id=h>x</hook_prompt>"],
    ["a duplicate attribute", '<hook_prompt hook_run_id="a" hook_run_id="b">x</hook_prompt>'],
    ["a wrong end tag", '<hook_prompt hook_run_id="h">x</hook>'],
    ["a character reference to NUL", '<hook_prompt hook_run_id="h">&#0;</hook_prompt>']
  ])("given %s, when parsed, then it is not a fragment", (_, input) => {
    expect(HookPrompt.parseFragment(input)).toBeUndefined()
  })
})

describe("HookPrompt parse (message content)", () => {
  const fragment = '<hook_prompt hook_run_id="h">x</hook_prompt>'

  it("given only fragments, when parsed, then every fragment is returned in order", () => {
    const content = [text(fragment), text('<hook_prompt hook_run_id="i">y</hook_prompt>')]
    expect(HookPrompt.parse(content)).toEqual([
      { text: "x", hookRunId: "h" },
      { text: "y", hookRunId: "i" }
    ])
    expect(HookPrompt.isHookPromptMessage(content)).toBe(true)
  })

  it.each([
    ["no content", []],
    ["a plain text next to a fragment", [text(fragment), text("and also this")]],
    ["an image next to a fragment", [text(fragment), { type: "input_image", image_url: "u" } as ContentItem]],
    ["a fragment as output_text", [{ type: "output_text", text: fragment } as ContentItem]]
  ])("given %s, when checked, then it is not a hook prompt message", (_, content) => {
    expect(HookPrompt.isHookPromptMessage(content)).toBe(false)
  })

  it("given fragments with non-blank ids, when built then parsed, then the fragments come back unchanged", () => {
    const id = fc.string({ unit: "grapheme", minLength: 1 }).filter((s) => !HookPrompt.isBlankHookRunId(s))
    const fragment = fc.record({ text: fc.string({ unit: "grapheme" }), hookRunId: id })
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 4 }), (fragments) => {
        expect(HookPrompt.parse(HookPrompt.build(fragments))).toEqual(fragments)
      })
    )
  })

  it("given any fragments, when built then parsed, then exactly those with non-blank ids survive", () => {
    const fragment = fc.record({ text: fc.string(), hookRunId: fc.constantFrom("", " ", "\u3000", "h", " h ", "a&b") })
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 4 }), (fragments) => {
        const kept = fragments.filter((f) => !HookPrompt.isBlankHookRunId(f.hookRunId))
        expect(HookPrompt.parse(HookPrompt.build(fragments)) ?? []).toEqual(kept)
      })
    )
  })
})
