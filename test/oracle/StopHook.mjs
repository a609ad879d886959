// A Stop hook for recording hookPrompt items with the real Codex (hooks.json of the recording home):
// it blocks the end of a turn once, with a continuation prompt, when the last assistant message
// asks for it with "(check)", and lets every other stop (and the continued turn's) through.
let input = ""
process.stdin.setEncoding("utf8")
process.stdin.on("data", (chunk) => (input += chunk))
process.stdin.on("end", () => {
  const event = JSON.parse(input)
  const block = event.stop_hook_active !== true && String(event.last_assistant_message ?? "").includes("(check)")
  process.stdout.write(block ? JSON.stringify({ decision: "block", reason: "Run the tests & report." }) : "{}")
})
