// The sample thread the export renderers (Html, Markdown) are tested on: one failed turn with a
// <script> in every text it renders, a data image, a remote image, tool output and a generated image.
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

const none = { startedAtMs: null, completedAtMs: null }

/** Markup, an ampersand and backtick runs: what every renderer must escape or fence. */
export const evil = '<script>alert("x")</script> & `code` ```'

/** A 1×1 PNG, base64. */
export const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

const items = [
  {
    type: "userMessage",
    id: "u",
    clientId: null,
    content: [
      { type: "text", text: evil, text_elements: [] },
      { type: "image", url: `data:image/png;base64,${png}`, detail: null },
      { type: "image", url: "https://example.com/x.png", detail: "auto" }
    ],
    ...none
  },
  { type: "agentMessage", moderation: null, id: "a", text: evil, phase: null, memoryCitation: null, delivery: null, questions: null, ...none },
  {
    type: "commandExecution",
    id: "c",
    pluginId: null,
    scriptPath: null,
    command: "echo '<b>'",
    cwd: "/p",
    processId: null,
    source: "agent",
    status: "completed",
    commandActions: [],
    aggregatedOutput: `${evil}\n`,
    exitCode: 0,
    durationMs: 3,
    ...none
  },
  { type: "imageGeneration", id: "g", status: "completed", revisedPrompt: "a cat", result: png, transparentBackground: null, ...none }
]

export const thread = {
  id: "th-1",
  name: null,
  preview: `hello ${evil}`,
  createdAt: 1_784_000_000,
  cwd: "/p",
  model: "gpt-5.5",
  cliVersion: "0.169.0",
  originator: "codex_cli_rs",
  turns: [
    {
      id: "t1",
      rootTurnId: null,
      items,
      itemsView: "full",
      status: "failed",
      error: { message: evil, codexErrorInfo: null, additionalDetails: null, misalignment: null },
      startedAt: 1_784_000_000,
      completedAt: null,
      durationMs: 1500
    }
  ]
} as unknown as ThreadItem.Thread
