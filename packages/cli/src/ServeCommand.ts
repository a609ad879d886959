/**
 * `rollout serve`: Codex's app-server read protocol for the threads of one home, over stdio
 * (`--stdio`, one JSON message per line, as `codex app-server`) or over HTTP and WebSocket on a
 * local port (the first line of stdout is `listening on http://HOST:PORT/`), with the web app at
 * `/`. Thin: the protocol, the web app's API, the servers and the access policy live in
 * @rollout/serve, the front end in @rollout/web.
 */
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as Access from "@rollout/serve/Access"
import * as HomeSource from "@rollout/serve/HomeSource"
import * as HttpServer from "@rollout/serve/HttpServer"
import * as StdioServer from "@rollout/serve/StdioServer"
import type * as ThreadSource from "@rollout/serve/ThreadSource"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"
import * as TeamCli from "./TeamCli.js"

const flags = {
  stdio: Flag.Boolean("stdio").pipe(
    Flag.withDescription("Speak JSON-RPC on stdin/stdout (one message per line) instead of listening on a port."),
    Flag.withDefault(false)
  ),
  host: Flag.String("host").pipe(
    Flag.withMetavar("HOST"),
    Flag.withDescription("The address to listen on (default 127.0.0.1). Any non-loopback address requires the access token."),
    Flag.withDefault("127.0.0.1")
  ),
  port: Flag.Int("port").pipe(Flag.withMetavar("N"), Flag.withDescription("The port (default 4677; 0 picks a free one)."), Flag.withDefault(4677)),
  token: Flag.String("token").pipe(
    Flag.withMetavar("T"),
    Flag.withDescription(
      "The access token clients must present (Authorization: Bearer T, or ?token=T). Off loopback one is generated and printed when not given."
    ),
    Flag.optional
  ),
  codexHome: Flags.codexHome,
  index: Flags.indexFile,
  database: TeamCli.database
}

/** Resolves when the process is asked to stop; the servers then close their sockets. */
const stopSignal = (): Promise<void> => new Promise((resolve) => ["SIGINT", "SIGTERM"].forEach((s) => process.once(s, () => resolve())))

export const command = Command.make("serve", flags, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    if (args.port < 0 || args.port > 65535) return yield* new UsageError({ message: `--port must be 0 to 65535, got ${args.port}` })
    const token = Option.getOrUndefined(args.token)
    const policy = yield* Effect.try({
      try: () => Access.decide(args.host, token),
      catch: (e) => new UsageError({ message: e instanceof Error ? e.message : String(e) })
    })
    const report = output.stderr
    const serve = async (source: ThreadSource.ThreadSource): Promise<void> => {
      // The protocol stream is the process's own stdin and stdout, as for `codex app-server`.
      if (args.stdio) return StdioServer.run({ source, report }, { input: process.stdin, output: { write: output.stdout }, error: report })
      const running = await HttpServer.start({ source, report, policy, port: args.port })
      output.stdout(`listening on ${running.url}\n`)
      if (policy.token !== undefined && token === undefined) output.stdout(`access token: ${policy.token}\n`)
      await stopSignal()
      await running.close()
    }
    if (Option.isSome(args.database)) {
      // The database source (and its driver) load only for --database.
      const TeamSource = yield* Effect.promise(() => import("@rollout/serve/TeamSource"))
      return yield* TeamCli.open(args.database.value, (db) => serve(TeamSource.make(db)))
    }
    yield* IndexStore.withStore(args.codexHome, args.index, async (store) => serve(HomeSource.make({ home: args.codexHome, store })), false, true)
  })
).pipe(
  Command.withShortDescription("Serve the web app and Codex's app-server read protocol (stdio or WebSocket)"),
  Command.withDescription(
    "Answer Codex app-server v2 read requests (initialize, thread/list, thread/search, thread/read, thread/turns/list, thread/archive, thread/unarchive, thread/name/set) for the threads of a Codex home, as codex app-server 0.171 answers them. --stdio speaks JSON-RPC on stdin/stdout; otherwise an HTTP server listens (first stdout line: `listening on http://HOST:PORT/`) with the protocol on WebSocket and the web app at / (thread list, search, transcripts, replay, stats, diff; it follows the home live). Loopback only unless --host says otherwise, and then only with an access token. It never runs a model. With --database URL it serves every machine's threads pushed by rollout sync instead of a home, read-only (archive, unarchive and rename are refused)."
  ),
  Command.withExamples([
    { command: "rollout serve --stdio", description: "speak the protocol on stdin/stdout, like codex app-server" },
    { command: "rollout serve --port 0", description: "listen on a free loopback port" },
    { command: "rollout serve", description: "then open http://127.0.0.1:4677/ for the web app" },
    { command: "rollout serve --database postgres://me@db/team", description: "serve every machine's pushed threads (read-only) from the team database" }
  ])
)
