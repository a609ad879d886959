/**
 * The team's PostgreSQL database as a service: a small connection pool on one URL, migrated to
 * the current schema when the layer is built (`Migrations`), closed when its scope ends. Queries
 * and transactions are plain promises inside (the `pg` driver's); every failure leaving the layer
 * is a `TeamError` that names the server without its password. It knows no tables but the
 * migrations': the sync and the answers (`TeamSync`, `TeamList`, `TeamSearch`, `TeamStats`) do.
 */
import { Context, Effect, Layer } from "effect"
import pg from "pg"
import * as Migrations from "./Migrations.js"
import * as TeamError from "./TeamError.js"

export type Params = ReadonlyArray<unknown>

/** One connection's queries: a transaction's, or the pool's. */
export interface Session {
  readonly query: <R extends object = Record<string, unknown>>(sql: string, params?: Params) => Promise<ReadonlyArray<R>>
}

export interface Shape extends Session {
  /** Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
  readonly transaction: <A>(work: (tx: Session) => Promise<A>) => Promise<A>
  readonly target: TeamError.Target
}

export class TeamDatabase extends Context.Service<TeamDatabase, Shape>()("@rollout/team/TeamDatabase") {}

// bigint and numeric arrive as strings by default; every count here fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (s) => Number(s))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (s) => Number(s))

const session = (client: pg.Pool | pg.PoolClient): Session => ({
  query: async <R extends object>(sql: string, params: Params = []) => (await client.query<R>(sql, params as Array<unknown>)).rows
})

const open = async (t: TeamError.Target): Promise<{ readonly shape: Shape; readonly end: () => Promise<void> }> => {
  // Commits need not wait for the WAL flush: every write here is a file's facts with its offset in
  // one transaction, so a server crash can only lose whole recent files, which the next push redoes.
  const pool = new pg.Pool({
    connectionString: t.url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 5_000,
    application_name: "rollout",
    options: "-c synchronous_commit=off"
  })
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on("error", () => {})
  try {
    const client = await pool.connect()
    try {
      await Migrations.run(client)
    } finally {
      client.release()
    }
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
  const shape: Shape = {
    ...session(pool),
    target: t,
    transaction: async (work) => {
      const client = await pool.connect()
      try {
        await client.query("BEGIN")
        const out = await work(session(client))
        await client.query("COMMIT")
        return out
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {})
        throw error
      } finally {
        client.release()
      }
    }
  }
  return { shape, end: () => pool.end() }
}

/** Runs a promise of the database, its failures as TeamErrors. */
export const use = <A>(work: (db: Shape) => Promise<A>): Effect.Effect<A, TeamError.TeamError, TeamDatabase> =>
  Effect.gen(function* () {
    const db = yield* TeamDatabase
    return yield* Effect.tryPromise({ try: () => work(db), catch: TeamError.from(db.target) })
  })

/** The database at `url`, migrated, for the length of the layer's scope. */
export const layer = (url: string): Layer.Layer<TeamDatabase, TeamError.TeamError> =>
  Layer.effect(
    TeamDatabase,
    Effect.map(
      Effect.acquireRelease(
        Effect.gen(function* () {
          const t = TeamError.target(url)
          if (t instanceof TeamError.TeamError) return yield* t
          return yield* Effect.tryPromise({
            try: () => open(t),
            catch: (e) =>
              e instanceof Migrations.NewerSchema ? new TeamError.TeamError({ reason: "schema", message: TeamError.scrub(t, e.message) }) : TeamError.from(t)(e)
          })
        }),
        (opened) => Effect.promise(() => opened.end().catch(() => {}))
      ),
      (opened) => opened.shape
    )
  )
