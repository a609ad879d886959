// Generates realistic rollout files of a given size for benchmarks (never committed).
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const words = "the quick brown fox jumps over lazy dog test fix error compile function module import rollout codex thread turn".split(" ")
const text = (rand, n) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ")

// Small deterministic PRNG so that every run benchmarks the same bytes.
export const prng = (seed) => () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}

const ts = (ms) => new Date(ms).toISOString()

/** Lines of one turn, in the shapes Codex writes (legacy history mode). */
export function* turnLines(rand, turn, clock) {
  const t = () => ts((clock.ms += 37))
  const turnId = `0198f2a5-${String(turn).padStart(4, "0")}-7000-8000-000000000001`
  yield `{"timestamp":"${t()}","type":"turn_context","payload":{"turn_id":"${turnId}","cwd":"/home/ana/proj","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write","network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false},"model":"gpt-5.2-codex","effort":"medium","summary":"none"}}`
  yield `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"task_started","turn_id":"${turnId}","started_at":${Math.floor(clock.ms / 1000)},"model_context_window":258400,"collaboration_mode_kind":"default"}}`
  const prompt = text(rand, 5 + Math.floor(rand() * 40))
  yield `{"timestamp":"${t()}","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"${prompt}"}]}}`
  yield `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"user_message","message":"${prompt}","local_images":[],"local_audio":[],"text_elements":[]}}`
  const calls = Math.floor(rand() * 4)
  for (let c = 0; c < calls; c++) {
    yield `{"timestamp":"${t()}","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"**${text(rand, 4)}**"}],"content":null,"encrypted_content":"gAAAAAB${"x".repeat(200 + Math.floor(rand() * 800))}"}}`
    yield `{"timestamp":"${t()}","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\\"cmd\\":\\"${text(rand, 3)}\\"}","call_id":"call_${turn}_${c}"}}`
    yield `{"timestamp":"${t()}","type":"response_item","payload":{"type":"function_call_output","call_id":"call_${turn}_${c}","output":"${text(rand, 20 + Math.floor(rand() * 400))}"}}`
  }
  const answer = text(rand, 10 + Math.floor(rand() * 120))
  yield `{"timestamp":"${t()}","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"${answer}"}],"phase":"final_answer"}}`
  yield `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"agent_message","message":"${answer}","phase":"final_answer","memory_citation":null}}`
  yield `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":${turn * 1200},"cached_input_tokens":${turn * 800},"cache_write_input_tokens":0,"output_tokens":${turn * 90},"reasoning_output_tokens":${turn * 40},"total_tokens":${turn * 1290}},"last_token_usage":{"input_tokens":1200,"cached_input_tokens":800,"cache_write_input_tokens":0,"output_tokens":90,"reasoning_output_tokens":40,"total_tokens":1290},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":19.0,"window_minutes":300,"resets_at":1784012345},"secondary":null,"credits":null,"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}}`
  yield `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"task_complete","turn_id":"${turnId}","last_agent_message":"${answer.slice(0, 40)}","started_at":${Math.floor(clock.ms / 1000) - 1},"completed_at":${Math.floor(clock.ms / 1000)},"duration_ms":1000}}`
}

export const sessionMeta = (id, ms) =>
  `{"timestamp":"${ts(ms)}","type":"session_meta","payload":{"session_id":"${id}","id":"${id}","timestamp":"${ts(ms)}","cwd":"/home/ana/proj","originator":"codex_cli_rs","cli_version":"0.149.1","source":"cli","model_provider":"openai","base_instructions":{"text":"You are Codex."},"history_mode":"legacy"}}`

/** Writes (or reuses) a rollout of at least `bytes` bytes and returns its path. */
export const rolloutOfSize = (bytes, seed = 1) => {
  const dir = path.join(os.tmpdir(), "rollout-bench")
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `rollout-${bytes}-${seed}.jsonl`)
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return file
  const rand = prng(seed)
  const fd = fs.openSync(`${file}.tmp`, "w")
  const clock = { ms: Date.UTC(2026, 6, 14) }
  let written = 0
  let batch = [sessionMeta("0198f2a4-5b6c-7d8e-9f00-112233445566", clock.ms)]
  for (let turn = 1; written < bytes; turn++) {
    for (const line of turnLines(rand, turn, clock)) batch.push(line)
    if (batch.length > 2000) {
      const s = `${batch.join("\n")}\n`
      fs.writeSync(fd, s)
      written += Buffer.byteLength(s)
      batch = []
    }
  }
  if (batch.length > 0) fs.writeSync(fd, `${batch.join("\n")}\n`)
  fs.closeSync(fd)
  fs.renameSync(`${file}.tmp`, file)
  return file
}

const SUMMARY = "Another language model started to solve this problem and produced a summary of its thinking process."
const IMAGE = `data:image/png;base64,${"iVBORw0KGgoAAAANSUhEUgAA".repeat(4000)}`

/** A compaction turn as Codex writes it: the replacement history keeps the recent user messages. */
const compactionTurn = (clock, turn, kept) => {
  const t = () => new Date((clock.ms += 37)).toISOString()
  const id = `0198f2a5-${String(turn).padStart(4, "0")}-7000-8000-00000000c0de`
  const replacement = [...kept, `${SUMMARY}\nThe user has been working on the rollout reader for ${turn} turns.`].map((text) => ({
    type: "message",
    role: "user",
    content: [{ type: "input_text", text }]
  }))
  return [
    JSON.stringify({
      timestamp: t(),
      type: "event_msg",
      payload: { type: "task_started", turn_id: id, model_context_window: 258400, collaboration_mode_kind: "default" }
    }),
    JSON.stringify({ timestamp: t(), type: "compacted", payload: { message: replacement.at(-1).content[0].text, replacement_history: replacement } }),
    JSON.stringify({ timestamp: t(), type: "event_msg", payload: { type: "task_complete", turn_id: id, last_agent_message: null } })
  ]
}

/** An inline image in a user message, as a pasted screenshot is recorded (response item and event). */
const imageTurnLines = (clock) => {
  const t = () => new Date((clock.ms += 37)).toISOString()
  return [
    JSON.stringify({ timestamp: t(), type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_image", image_url: IMAGE }] } }),
    JSON.stringify({ timestamp: t(), type: "event_msg", payload: { type: "user_message", message: "", images: [IMAGE], local_images: [], text_elements: [] } })
  ]
}

/**
 * Writes (or reuses, by name) a rollout of at least `bytes`: turns, a compaction every `every`
 * bytes, an inline image every `imageEvery` turns (0: none), and a last compaction followed by
 * `after` turns. The resume and trim benchmarks read it.
 */
export const rolloutWithCompactions = (bytes, { every, after = 20, imageEvery = 0, seed = 7 }) => {
  const dir = path.join(os.tmpdir(), "rollout-bench")
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `compactions-${bytes}-${every}-${after}-${imageEvery}-${seed}.jsonl`)
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return file
  const rand = prng(seed)
  const fd = fs.openSync(`${file}.tmp`, "w")
  const clock = { ms: Date.UTC(2026, 6, 14) }
  let written = 0
  let batch = [sessionMeta(`0198f2a4-5b6c-7d8e-9f00-${String(seed).padStart(12, "0")}`, clock.ms)]
  const flush = () => {
    const s = `${batch.join("\n")}\n`
    fs.writeSync(fd, s)
    written += Buffer.byteLength(s)
    batch = []
  }
  const prompts = []
  let turn = 1
  const addTurn = () => {
    for (const line of turnLines(rand, turn, clock)) {
      batch.push(line)
      if (line.includes('"role":"user"')) prompts.push(JSON.parse(line).payload.content[0].text)
      // The image goes right after the turn's user message.
      if (imageEvery > 0 && turn % imageEvery === 0 && line.includes('"type":"user_message"')) batch.push(...imageTurnLines(clock))
    }
    if (prompts.length > 3) prompts.shift()
    turn++
  }
  let next = every
  while (written < bytes) {
    addTurn()
    if (batch.length > 500) flush()
    if (written >= next) {
      batch.push(...compactionTurn(clock, turn++, prompts))
      next += every
    }
  }
  batch.push(...compactionTurn(clock, turn++, prompts))
  for (let i = 0; i < after; i++) addTurn()
  flush()
  fs.closeSync(fd)
  fs.renameSync(`${file}.tmp`, file)
  return file
}
