/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: `initdb` into a temp folder, `pg_ctl`
 * start on a free port of 127.0.0.1 (password auth, so URLs carry a password as a team's do),
 * `stop` removes it all. As root it runs the server as the `postgres` user (initdb refuses root).
 * It never skips: a machine without the binaries throws, so a test that needs it fails.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

export interface Cluster {
  /** A URL with the password, for the `postgres` database. */
  readonly url: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** The URL of a fresh database created on this cluster. */
  readonly database: (name: string) => Promise<string>
  /** Runs SQL with psql on database `db` and returns its unaligned output (no driver in the test process). */
  readonly psql: (db: string, sql: string) => string
  readonly stop: () => void
}

/** Where `initdb`, `pg_ctl` and `psql` are: on PATH, else Debian's /usr/lib/postgresql/<version>/bin (newest). */
export const binDir = (): string => {
  // A symlink on PATH (to Debian's folder) leads to the folder that also holds psql.
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter))
    if (dir !== "" && fs.existsSync(path.join(dir, "pg_ctl")) && fs.existsSync(path.join(dir, "initdb")))
      return path.dirname(fs.realpathSync(path.join(dir, "pg_ctl")))
  const debian = "/usr/lib/postgresql"
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((v) => fs.existsSync(path.join(debian, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const newest = versions[0]
  if (newest === undefined)
    throw new Error("PostgreSQL is not installed: no pg_ctl/initdb on PATH or under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
  return path.join(debian, newest, "bin")
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
const run = (bin: string, args: ReadonlyArray<string>): void => {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, [...args]]
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 })
}

const chownTree = (dir: string): void => {
  if (!isRoot()) return
  execFileSync("chown", ["-R", "postgres:postgres", dir])
}

/** Where a running cluster is and how to reach it: what a file of the shared run reads back. */
interface Place {
  readonly bin: string
  readonly dir: string
  readonly port: number
  readonly user: string
  readonly password: string
}

const stopAt = (place: Place): void => {
  try {
    run(path.join(place.bin, "pg_ctl"), ["-D", path.join(place.dir, "data"), "-m", "immediate", "-w", "stop"])
  } finally {
    fs.rmSync(place.dir, { recursive: true, force: true })
  }
}

/** Initialises and starts a cluster; throws (with the server's own words) when it cannot. */
const launch = async (): Promise<Place> => {
  const bin = binDir()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-pg-"))
  fs.chmodSync(dir, 0o755)
  const data = path.join(dir, "data")
  const user = "rollout"
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`
  fs.writeFileSync(path.join(dir, "pwfile"), `${password}\n`)
  chownTree(dir)
  const port = await freePort()
  const log = path.join(dir, "server.log")
  try {
    run(path.join(bin, "initdb"), ["-D", data, "-U", user, "--pwfile", path.join(dir, "pwfile"), "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C"])
    run(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      log,
      "-w",
      "-t",
      "60",
      "-o",
      // Room for two test files at once on a shared cluster (see `shared`).
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=120`,
      "start"
    ])
  } catch (error) {
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : ""
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ""
    fs.rmSync(dir, { recursive: true, force: true })
    throw new Error(`PostgreSQL did not start: ${stderr}\n${serverLog}`)
  }
  return { bin, dir, port, user, password }
}

/** Starts a cluster of this caller's own; throws (with the server's own words) when it cannot. */
export const start = async (): Promise<Cluster> => {
  const place = await launch()
  return attach(place, () => stopAt(place))
}

/** The cluster at `place`; `stop` is what stopping it means to this caller. */
const attach = (place: Place, stop: () => void): Cluster => {
  const { bin, port, user, password } = place
  const psql = (db: string, sql: string): string =>
    execFileSync(path.join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", db, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], {
      encoding: "utf8",
      env: { ...process.env, PGPASSWORD: password },
      timeout: 60_000
    }).trim()
  const base = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`
  let stopped = false
  return {
    url: `${base}/postgres`,
    port,
    user,
    password,
    database: async (name) => {
      psql("postgres", `CREATE DATABASE "${name.replace(/"/g, "")}"`)
      return `${base}/${name}`
    },
    psql: (db, sql) => psql(db, sql),
    stop: () => {
      if (stopped) return
      stopped = true
      stop()
    }
  }
}

/**
 * The folder through which the test files of one vitest run share a cluster: set by the run's
 * global setup (`PgClusterRun`) before its workers start, which inherit it.
 */
export const RUN_FOLDER = "ROLLOUT_TEST_PG_RUN"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One cluster for every file of a vitest run that asks for it (each file uses databases of its
 * own names): initdb and the server's start cost seconds each time. The first file to ask starts
 * it, the others wait for its address; `stop` leaves it running, and the run's global teardown
 * (`stopShared`) stops it. Outside such a run (no `RUN_FOLDER`), a cluster of the caller's own.
 */
export const shared = async (): Promise<Cluster> => {
  const run = process.env[RUN_FOLDER]
  if (run === undefined || run === "") return start()
  const placeFile = path.join(run, "place.json")
  const failure = path.join(run, "failure.txt")
  let first = true
  try {
    fs.mkdirSync(path.join(run, "lock"))
  } catch {
    first = false
  }
  if (first) {
    try {
      const place = await launch()
      fs.writeFileSync(`${placeFile}.tmp`, JSON.stringify(place))
      fs.renameSync(`${placeFile}.tmp`, placeFile)
    } catch (error) {
      fs.writeFileSync(failure, String(error))
      throw error
    }
  }
  for (const started = Date.now(); !fs.existsSync(placeFile); await sleep(50)) {
    if (fs.existsSync(failure)) throw new Error(fs.readFileSync(failure, "utf8"))
    if (Date.now() - started > 180_000) throw new Error("the shared PostgreSQL cluster did not start within 180 s")
  }
  return attach(JSON.parse(fs.readFileSync(placeFile, "utf8")) as Place, () => {})
}

/** Stops the cluster of the run whose folder is `run`, if a file started one, and removes the folder. */
export const stopShared = (run: string): void => {
  const placeFile = path.join(run, "place.json")
  try {
    if (fs.existsSync(placeFile)) stopAt(JSON.parse(fs.readFileSync(placeFile, "utf8")) as Place)
  } finally {
    fs.rmSync(run, { recursive: true, force: true })
  }
}
