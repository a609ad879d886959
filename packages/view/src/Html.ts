/**
 * A thread as one self-contained HTML page (`rollout export --format html`): inline CSS, no script,
 * no external asset (images are embedded only when they already are data URLs or base64 results),
 * every piece of text from the rollout escaped, tool output and reasoning in collapsible
 * `<details>`. Rendered from the same turns `rollout history --json` prints. A pure renderer.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

type Item = ThreadItem.ThreadItem

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Escapes text for element content and quoted attribute values. */
export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] ?? c)

/** A data URL safe to embed in `src`: an image MIME type and base64 payload, nothing else. */
export const dataImage = (url: string): string | undefined =>
  /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/i.test(url) ? url.replace(/\s/g, "") : undefined

const css = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin-bottom:.25rem}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;color:#57606a;font-size:.9rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}section.turn{border-top:1px solid #d0d7de;margin-top:1.5rem;padding-top:.5rem}
section.turn h2{font-size:1rem;color:#57606a;font-weight:600}.status-failed h2,.error{color:#cf222e}.status-interrupted h2{color:#9a6700}
.msg{margin:.75rem 0;padding:.5rem .75rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.user{background:#ddf4ff}.assistant{background:#f6f8fa}.commentary{background:#fff8c5}.note{color:#57606a;font-style:italic;margin:.5rem 0}
.role{display:block;font-weight:600;font-size:.8rem;color:#57606a;white-space:normal}
details{margin:.5rem 0;border:1px solid #d0d7de;border-radius:6px;padding:.25rem .75rem}summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:.85rem}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere}img{max-width:100%}
`

const pre = (text: string): string => `<pre>${escape(text)}</pre>`
const details = (summary: string, body: string, cls = "tool"): string => `<details class="${cls}"><summary>${escape(summary)}</summary>${body}</details>`
const message = (cls: string, role: string, body: string): string => `<div class="msg ${cls}"><span class="role">${escape(role)}</span>${body}</div>`
const note = (text: string): string => `<p class="note">${escape(text)}</p>`
const json = (value: unknown): string => pre(JSON.stringify(value, null, 2))

const userInput = (c: ThreadItem.UserInput): string => {
  switch (c.type) {
    case "text":
      return escape(c.text)
    case "image": {
      const src = dataImage(c.url)
      return src === undefined ? `[image: ${escape(c.url)}]` : `<img alt="image" src="${escape(src)}">`
    }
    case "localImage":
      return `[local image: ${escape(c.path)}]`
    case "audio":
      return `[audio: ${escape(c.url)}]`
    case "localAudio":
      return `[local audio: ${escape(c.path)}]`
    default:
      return `[${escape((c as { type: string }).type)}]`
  }
}

export const item = (i: Item): string => {
  switch (i.type) {
    case "userMessage":
      return message("user", "User", i.content.map(userInput).join("\n"))
    case "hookPrompt":
      return message("user", "Hook prompt", i.fragments.map((f) => escape(f.text)).join("\n"))
    case "agentMessage":
      return i.phase === "commentary" ? message("commentary", "Assistant (commentary)", escape(i.text)) : message("assistant", "Assistant", escape(i.text))
    case "plan":
      return message("assistant", "Plan", escape(i.text))
    case "reasoning":
      return details("Reasoning", pre([...i.summary, ...i.content].join("\n\n")), "reasoning")
    case "commandExecution":
      return details(`$ ${i.command}${i.exitCode === null ? "" : ` (exit ${i.exitCode})`} [${i.status}]`, pre(i.aggregatedOutput ?? ""))
    case "fileChange":
      return details(
        `File changes [${i.status}]: ${i.changes.map((c) => c.path).join(", ")}`,
        i.changes.map((c) => `<p>${escape(c.path)} (${escape(c.kind.type)})</p>${pre(c.diff)}`).join("")
      )
    case "mcpToolCall":
      return details(`MCP ${i.server}.${i.tool} [${i.status}]`, json({ arguments: i.arguments, result: i.result, error: i.error }))
    case "dynamicToolCall":
      return details(
        `Tool ${i.namespace === null ? "" : `${i.namespace}.`}${i.tool} [${i.status}]`,
        json({ arguments: i.arguments, contentItems: i.contentItems })
      )
    case "collabAgentToolCall":
      return details(`Agent ${i.tool} [${i.status}] → ${i.receiverThreadIds.join(", ")}`, json({ prompt: i.prompt, agentsStates: i.agentsStates }))
    case "subAgentActivity":
      return note(`Sub-agent ${i.agentPath} ${i.kind} (${i.agentThreadId})`)
    case "webSearch":
      return note(`Web search: ${i.query}`)
    case "imageView":
      return note(`Viewed image: ${i.path}`)
    case "sleep":
      return note(`Slept ${i.durationMs} ms`)
    case "imageGeneration": {
      const src = i.result === "" ? undefined : dataImage(`data:image/png;base64,${i.result}`)
      const caption = `Generated image [${i.status}]${i.revisedPrompt === null ? "" : `: ${i.revisedPrompt}`}`
      return `<figure>${src === undefined ? "" : `<img alt="generated image" src="${escape(src)}">`}<figcaption>${escape(caption)}</figcaption></figure>`
    }
    case "enteredReviewMode":
      return note(`Entered review mode: ${i.review}`)
    case "exitedReviewMode":
      return message("assistant", "Review", escape(i.review))
    case "contextCompaction":
      return note("Context compacted")
    default: {
      const unreachable: never = i
      return note(`[${(unreachable as { type: string }).type}]`)
    }
  }
}

const time = (seconds: number | null | undefined): string => (seconds === null || seconds === undefined ? "" : new Date(seconds * 1000).toISOString())

const turn = (t: ThreadItem.Turn, n: number): string => {
  const facts = [t.status, time(t.startedAt), t.durationMs === null ? "" : `${(t.durationMs / 1000).toFixed(1)} s`].filter((f) => f !== "").join(" · ")
  const error = t.error === null ? "" : `<p class="error">Error: ${escape(t.error.message)}</p>`
  return `<section class="turn status-${escape(t.status)}" id="turn-${n + 1}"><h2>Turn ${n + 1} — ${escape(facts)}</h2>${error}\n${t.items.map(item).join("\n")}\n</section>`
}

export const render = (thread: ThreadItem.Thread): string => {
  const title = thread.name ?? (thread.preview.split("\n")[0] || thread.id)
  const facts: Array<[string, string]> = [
    ["Thread", thread.id],
    ["Created", time(thread.createdAt)],
    ["Working directory", thread.cwd],
    ...(thread.model === null ? [] : [["Model", thread.model] as [string, string]]),
    ["Codex", `${thread.cliVersion} (${thread.originator})`],
    ["Turns", String(thread.turns.length)]
  ]
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escape(title)}</title>
<style>${css}</style>
</head>
<body>
<h1>${escape(title)}</h1>
<dl class="facts">${facts.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join("")}</dl>
${thread.turns.map(turn).join("\n")}
</body>
</html>
`
}
