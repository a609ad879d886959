/**
 * Versioned schema migrations, run on first use by every command that opens the team database.
 * Each migration runs in its own transaction and is recorded in `schema_migrations`; a session
 * advisory lock makes concurrent first use safe (the second process waits, then finds nothing to
 * do). A database migrated by a newer program is refused rather than misread. Migrations only
 * ever get added to the end of `all`; an applied one is never edited.
 */
import type * as pg from "pg"
import * as SchemaV1 from "./internal/SchemaV1.js"
import * as SchemaV2 from "./internal/SchemaV2.js"
import * as SchemaV3 from "./internal/SchemaV3.js"
import * as SchemaV4 from "./internal/SchemaV4.js"

export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

export const all: ReadonlyArray<Migration> = [
  { version: 1, name: "threads, files, statistics facts, search documents", statements: SchemaV1.statements },
  { version: 2, name: "statistics buckets per UTC quarter hour, model and tier; thread projects", statements: SchemaV2.statements },
  { version: 3, name: "statistics buckets summed per machine, UTC quarter hour, model and tier", statements: SchemaV3.statements },
  { version: 4, name: "the rollout bytes of every file, in deflated pieces", statements: SchemaV4.statements }
]

export const latest = all.reduce((n, m) => Math.max(n, m.version), 0)

/** The advisory lock key of migrations ("rollout" in ASCII), distinct from the per-file sync locks. */
const LOCK = 0x726f6c6c6f7574n

export class NewerSchema extends Error {
  constructor(readonly found: number) {
    super(`the team database has schema version ${found}, newer than this rollout understands (${latest}): upgrade rollout`)
  }
}

/** The schema's version without taking the lock, or undefined when there is no schema yet. */
const current = async (client: pg.ClientBase): Promise<number | undefined> => {
  try {
    const { rows } = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations")
    return rows[0]?.v ?? 0
  } catch (error) {
    if ((error as { code?: unknown }).code === "42P01") return undefined
    throw error
  }
}

/** Brings the schema up to `latest` on one connection; returns the versions it applied. */
export const run = async (client: pg.ClientBase): Promise<ReadonlyArray<number>> => {
  // The common case (already current) costs one query and no lock.
  const version = await current(client)
  if (version !== undefined && version > latest) throw new NewerSchema(version)
  if (version === latest) return []
  await client.query("SELECT pg_advisory_lock($1)", [LOCK.toString()])
  try {
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations")
    const applied = new Set(rows.map((r) => r.version))
    const newest = Math.max(0, ...applied)
    if (newest > latest) throw new NewerSchema(newest)
    const done: Array<number> = []
    for (const m of all) {
      if (applied.has(m.version)) continue
      await client.query("BEGIN")
      try {
        for (const s of m.statements) await client.query(s)
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name])
        await client.query("COMMIT")
      } catch (error) {
        await client.query("ROLLBACK")
        throw error
      }
      done.push(m.version)
    }
    return done
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK.toString()])
  }
}
