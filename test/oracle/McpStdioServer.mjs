// A tiny MCP server over stdio (newline-delimited JSON-RPC), for recording MCP tool calls with the
// real Codex: one tool, `lookup`, that answers a text block and structured content, or an error
// result when asked for `missing`. Started by Codex from the recording home's config.toml.
import * as Readline from "node:readline"

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`)

const lookup = {
  name: "lookup",
  description: "Looks a word up in the project glossary.",
  inputSchema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] }
}

const answer = (params) => {
  const word = String(params?.arguments?.word ?? "")
  if (word === "missing") return { content: [{ type: "text", text: `no entry for ${word}` }], isError: true }
  return { content: [{ type: "text", text: `${word}: an append-only log of one thread` }], structuredContent: { word, found: true } }
}

Readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "") return
  const request = JSON.parse(line)
  if (request.id === undefined) return // a notification
  switch (request.method) {
    case "initialize":
      return send({
        id: request.id,
        result: {
          protocolVersion: request.params?.protocolVersion ?? "2025-06-18",
          capabilities: { tools: {} },
          serverInfo: { name: "glossary", version: "1.0.0" }
        }
      })
    case "tools/list":
      return send({ id: request.id, result: { tools: [lookup] } })
    case "tools/call":
      return send({ id: request.id, result: answer(request.params) })
    default:
      return send({ id: request.id, error: { code: -32601, message: `no method ${request.method}` } })
  }
})
