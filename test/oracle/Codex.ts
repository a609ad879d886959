/**
 * The real Codex CLI as a test oracle: a throw-away Codex home whose `config.toml` points at a
 * scripted model server, `codex exec --json` turns (which write paginated rollouts) and a
 * `codex app-server` client (legacy rollouts, and what Codex rebuilds from a rollout). See
 * `shared/spec/codex-oracle.md`. It drives the binary; it knows nothing about rollout contents.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as AppServer from "./AppServer.js"
import * as Processes from "./Processes.js"

/** The Codex launcher (`$CODEX_BIN`, else `node_modules/.bin/codex` above this file), if installed. */
export const binary: string | undefined = (() => {
  const fromEnv = process.env["CODEX_BIN"]
  if (fromEnv !== undefined && fromEnv !== "") return Fs.existsSync(fromEnv) ? fromEnv : undefined
  for (let dir = Path.dirname(fileURLToPath(import.meta.url)); ; dir = Path.dirname(dir)) {
    const candidate = Path.join(dir, "node_modules", ".bin", "codex")
    if (Fs.existsSync(candidate)) return candidate
    if (Path.dirname(dir) === dir) return undefined
  }
})()

/**
 * The launcher of one Codex release: `$CODEX_BIN_<version with underscores>` (e.g.
 * `CODEX_BIN_0_169_0`), else the installed one if it is that release. Undefined when neither is.
 */
export const binaryFor = (version: string): string | undefined => {
  const fromEnv = process.env[`CODEX_BIN_${version.replaceAll(".", "_")}`]
  if (fromEnv !== undefined && fromEnv !== "") return Fs.existsSync(fromEnv) ? fromEnv : undefined
  if (binary === undefined) return undefined
  const installed = ChildProcess.execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).at(-1)
  return installed === version ? binary : undefined
}

export const requireBinary = (): string => {
  if (binary === undefined) throw new Error("codex binary not found: install @openai/codex (test workspace devDependency) or set CODEX_BIN")
  return binary
}

export interface HomeOptions {
  /** The scripted server's base URL, ending in `/v1`. */
  readonly baseUrl: string
  /** Parent folder of the home; a fresh temp folder by default. An earlier oracle home there is replaced. */
  readonly root?: string
  /** A slug from Codex's bundled catalog, so that its real tool set is offered. */
  readonly model?: string
  /** `local` (a custom provider, default) or `openai` (built-in provider with `openai_base_url`). */
  readonly provider?: "local" | "openai"
  /** Extra TOML appended to `config.toml`. */
  readonly extraConfig?: string
  /** Keep the files after `withCodexHome` (the default removes them). */
  readonly keep?: boolean
}

export interface CodexHome {
  readonly root: string
  /** `CODEX_HOME`. */
  readonly home: string
  /** `HOME`: an empty folder so nothing from a real profile leaks in. */
  readonly userHome: string
  /** The working directory of every Codex process (the thread's `cwd`). */
  readonly workspace: string
  readonly env: NodeJS.ProcessEnv
  readonly sessionsDir: string
  /** Every rollout file under `sessions/`, sorted. */
  readonly rollouts: () => ReadonlyArray<string>
  /** The rollout file of a thread (its id is the last 36 characters of the name). */
  readonly rolloutOf: (threadId: string) => string
}

export const configToml = (options: Pick<HomeOptions, "baseUrl" | "model" | "provider" | "extraConfig">): string => {
  const common = [
    `model = "${options.model ?? "gpt-5.5"}"`,
    `approval_policy = "never"`,
    `sandbox_mode = "danger-full-access"`,
    `check_for_update_on_startup = false`
  ]
  const provider =
    options.provider === "openai"
      ? [`model_provider = "openai"`, `openai_base_url = "${options.baseUrl}"`]
      : [
          `model_provider = "local"`,
          "",
          "[model_providers.local]",
          `name = "Local scripted model"`,
          `base_url = "${options.baseUrl}"`,
          `wire_api = "responses"`,
          "request_max_retries = 0",
          "stream_max_retries = 0",
          "supports_websockets = false"
        ]
  return [...common, ...provider, "", "[analytics]", "enabled = false", "", options.extraConfig ?? ""].join("\n")
}

export const createHome = (options: HomeOptions): CodexHome => {
  const root = options.root ?? Fs.mkdtempSync(Path.join(Os.tmpdir(), "codex-oracle-"))
  if (options.root !== undefined && Fs.existsSync(root) && Fs.readdirSync(root).length > 0) {
    // Only ever empty a folder that is an earlier oracle home, never a folder given by mistake.
    if (!Fs.existsSync(Path.join(root, "codex-home", "config.toml"))) throw new Error(`refusing to empty ${root}: not an oracle home`)
    Fs.rmSync(root, { recursive: true, force: true })
  }
  const home = Path.join(root, "codex-home")
  const userHome = Path.join(root, "home")
  const workspace = Path.join(root, "workspace")
  for (const dir of [home, userHome, workspace]) Fs.mkdirSync(dir, { recursive: true })
  Fs.writeFileSync(Path.join(home, "config.toml"), configToml(options))
  const sessionsDir = Path.join(home, "sessions")
  // Only what a shell needs: no API keys or profile settings of the machine running the tests.
  const inherited = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "SHELL", "TERM"].flatMap((key) => {
    const value = process.env[key]
    return value === undefined ? [] : [[key, value] as const]
  })
  const env = { ...Object.fromEntries(inherited), HOME: userHome, CODEX_HOME: home }
  const rollouts = () =>
    listFiles(sessionsDir)
      .filter((file) => /rollout-.*\.jsonl$/.test(file))
      .sort()
  return {
    root,
    home,
    userHome,
    workspace,
    env,
    sessionsDir,
    rollouts,
    rolloutOf: (threadId) => {
      const found = rollouts().find((file) => file.endsWith(`${threadId}.jsonl`))
      if (found === undefined) throw new Error(`no rollout for thread ${threadId} under ${sessionsDir}`)
      return found
    }
  }
}

export const withCodexHome = async <A>(options: HomeOptions, use: (home: CodexHome) => Promise<A>): Promise<A> => {
  const home = createHome(options)
  try {
    return await use(home)
  } finally {
    if (options.keep !== true) Fs.rmSync(home.root, { recursive: true, force: true })
  }
}

export interface ExecOptions {
  /** Continue this thread (`codex exec resume <id>`). */
  readonly resume?: string
  /** Fork this thread into a new one (`codex exec fork <id>`). */
  readonly fork?: string
  readonly images?: ReadonlyArray<string>
  readonly extraArgs?: ReadonlyArray<string>
  readonly timeoutMs?: number
  /** Resolve even when Codex exits non-zero (a failed turn exits 1). */
  readonly allowFailure?: boolean
  /** Another launcher than the installed one (a given release, `binaryFor`). */
  readonly binary?: string
}

export interface ExecResult {
  /** From the first stdout event, `thread.started`. */
  readonly threadId: string
  /** Every `--json` event printed on stdout. */
  readonly events: ReadonlyArray<any>
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs one `codex exec --json` turn in the home's workspace. */
export const execTurn = async (home: CodexHome, prompt: string, options: ExecOptions = {}): Promise<ExecResult> => {
  const subcommand = options.resume !== undefined ? ["resume"] : options.fork !== undefined ? ["fork"] : []
  const target = options.resume ?? options.fork
  const args = [
    "exec",
    ...subcommand,
    "--json",
    "--skip-git-repo-check",
    "--dangerously-bypass-approvals-and-sandbox",
    ...(options.images ?? []).map((image) => `--image=${image}`),
    ...(options.extraArgs ?? []),
    ...(target === undefined ? [] : [target]),
    prompt
  ]
  const { exitCode, stdout, stderr } = await run(options.binary ?? requireBinary(), args, home, options.timeoutMs ?? 60_000)
  const events = stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line))
  const started = events.find((event) => event.type === "thread.started")
  const failure = (why: string) =>
    new Error(`codex ${args.join(" ")}: ${why} (exit ${exitCode})\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`)
  if (started === undefined) throw failure("no thread.started event")
  if (exitCode !== 0 && options.allowFailure !== true) throw failure("non-zero exit")
  return { threadId: started.thread_id, events, exitCode, stdout, stderr }
}

/** Starts `codex app-server` in the home and completes the `initialize` handshake. */
export const appServer = (home: CodexHome, options: Omit<AppServer.Options, "binary"> & { readonly binary?: string } = {}) =>
  AppServer.start(home, { ...options, binary: options.binary ?? requireBinary() })

const run = (command: string, args: ReadonlyArray<string>, home: CodexHome, timeoutMs: number) =>
  new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // stdin is /dev/null: `codex exec` appends piped stdin to the prompt and would wait for it.
    const child = ChildProcess.spawn(command, args, { cwd: home.workspace, env: home.env, stdio: ["ignore", "pipe", "pipe"], detached: true })
    const stop = Processes.track(child)
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`codex ${args.join(" ")}: timed out after ${timeoutMs} ms\n--- stderr ---\n${stderr.slice(-4000)}`))
    }, timeoutMs)
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("close", (exitCode) => {
      clearTimeout(timer)
      stop()
      resolve({ exitCode, stdout, stderr })
    })
  })

const listFiles = (dir: string): Array<string> =>
  Fs.existsSync(dir)
    ? Fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = Path.join(dir, entry.name)
        return entry.isDirectory() ? listFiles(path) : [path]
      })
    : []
