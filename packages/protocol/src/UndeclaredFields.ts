/**
 * The fields a JSON value carries that its schema does not declare. Open structs keep such fields
 * (nothing is lost, nothing fails), which is exactly why a new Codex field would otherwise go
 * unnoticed: this walk names them, as dotted paths (`payload.moderation.display`), so a validator
 * can report the drift the day it appears. It reads the schema's encoded AST next to the value;
 * maps (records) and opaque JSON subtrees declare any key, and it does not check values.
 */
import { SchemaAST } from "effect"
import type { Schema } from "effect"

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** The literal a struct declares for `key`, if any (the tag of a tagged union member). */
const literalOf = (ast: SchemaAST.Objects, key: string): unknown => {
  const ps = ast.propertySignatures.find((p) => p.name === key)
  return ps !== undefined && ps.type._tag === "Literal" ? ps.type.literal : undefined
}

const resolve = (ast: SchemaAST.AST): SchemaAST.AST => (ast._tag === "Suspend" ? resolve(ast.thunk()) : ast)

/** The union member the value most likely is: same `type` tag, else the struct declaring most of its keys. */
const pick = (members: ReadonlyArray<SchemaAST.AST>, value: unknown): SchemaAST.AST | undefined => {
  // A union of unions (`AnyResponseItem` = the family or any other item) is one set of members.
  const flat = (ms: ReadonlyArray<SchemaAST.AST>): Array<SchemaAST.AST> => ms.map(resolve).flatMap((m) => (m._tag === "Union" ? flat(m.types) : [m]))
  const resolved = flat(members)
  if (Array.isArray(value)) return resolved.find((m) => m._tag === "Arrays")
  if (!isObject(value)) return undefined
  const objects = resolved.filter((m): m is SchemaAST.Objects => m._tag === "Objects")
  const tagged = objects.find((m) => value["type"] !== undefined && literalOf(m, "type") === value["type"])
  if (tagged !== undefined) return tagged
  const keys = Object.keys(value)
  let best: SchemaAST.Objects | undefined
  let score = -1
  for (const m of objects) {
    if (m.propertySignatures.some((p) => p.type._tag === "Literal" && p.name in value && value[p.name as string] !== p.type.literal)) continue
    const declared = keys.filter((k) => m.propertySignatures.some((p) => p.name === k)).length
    if (declared > score) {
      best = m
      score = declared
    }
  }
  return best
}

const walk = (node: SchemaAST.AST, value: unknown, path: string, out: Array<string>): void => {
  const ast = resolve(node)
  switch (ast._tag) {
    case "Objects": {
      if (!isObject(value)) return
      // A record (no declared field) is a map: any key is declared; its values are still walked.
      if (ast.propertySignatures.length === 0) {
        const index = ast.indexSignatures[0]
        if (index !== undefined) for (const [k, v] of Object.entries(value)) walk(index.type, v, `${path}.${k}`, out)
        return
      }
      for (const [k, v] of Object.entries(value)) {
        const ps = ast.propertySignatures.find((p) => p.name === k)
        if (ps !== undefined) walk(ps.type, v, path === "" ? k : `${path}.${k}`, out)
        else out.push(path === "" ? k : `${path}.${k}`)
      }
      return
    }
    case "Arrays": {
      if (!Array.isArray(value)) return
      value.forEach((v, i) => {
        const element = ast.elements[i] ?? ast.rest[0]
        if (element !== undefined) walk(element, v, `${path}[${i}]`, out)
      })
      return
    }
    case "Union": {
      const member = pick(ast.types, value)
      if (member !== undefined) walk(member, value, path, out)
      return
    }
    default:
      return
  }
}

/** Paths of the fields `value` carries that `schema` (its encoded side) does not declare. */
export const find = (schema: Schema.Top, value: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  walk(SchemaAST.toEncoded(schema.ast), value, "", out)
  return out
}
