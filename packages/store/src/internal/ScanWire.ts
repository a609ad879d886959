/**
 * A file's scan as it crosses from the read-ahead thread (ScanAhead) to the writing one, compact so
 * that neither side spends its time on structured cloning an object per document: the texts as one
 * array of strings, the numbers in one transferred `Float64Array`, kinds and turn ids as indexes
 * into a table of names. The fold states travel as the JSON the `files` row stores (what the writer needs of them),
 * and come back as `JSON.parse` of it, as a stored row's state does. Not a storage format.
 */
import type * as FileScan from "../FileScan.js"
import type * as SearchDoc from "../SearchDoc.js"

/** The fold states of a scan as the `files` row stores them. */
export interface Json {
  readonly state: string
  readonly tail: string | null
}

/** The scan's own plain fields travel as they are; its states and documents are re-encoded. */
export interface Wire extends Pick<FileScan.Scan, "path" | "size" | "mtimeMs" | "from" | "offset" | "headHash" | "partial" | "diagnostics" | "copy"> {
  readonly json: Json
  /** The documents' texts, in order. */
  readonly texts: ReadonlyArray<string>
  /** `FIELDS` numbers per document: offset, line, turn index (-1: none), kind and turn id (indexes into `names`; -1: none). */
  readonly numbers: Float64Array
  readonly names: ReadonlyArray<string>
}

const FIELDS = 5

/** The scan and its serialised states as one message. */
export const encode = (scan: FileScan.Scan, json: Json): Wire => {
  // Kinds are a handful: each is looked up. A turn id repeats over its turn's documents: a new
  // entry is made when it changes (one that comes back later gets a second entry, which is harmless).
  const names: Array<string> = []
  const kinds: Array<string> = []
  const kindAt: Array<number> = []
  let turnId: string | null = null
  let turnAt = -1
  const docs = scan.docs
  const numbers = new Float64Array(docs.length * FIELDS)
  const texts: Array<string> = new Array(docs.length)
  for (let i = 0, at = 0; i < docs.length; i++, at += FIELDS) {
    const d = docs[i] as FileScan.IndexedDoc
    let k = kinds.indexOf(d.kind)
    if (k < 0) {
      k = kinds.push(d.kind) - 1
      kindAt.push(names.push(d.kind) - 1)
    }
    if (d.turnId !== turnId) {
      turnId = d.turnId
      turnAt = turnId === null ? -1 : names.push(turnId) - 1
    }
    numbers[at] = d.offset
    numbers[at + 1] = d.line
    numbers[at + 2] = d.turnIndex ?? -1
    numbers[at + 3] = kindAt[k] as number
    numbers[at + 4] = turnAt
    texts[i] = d.text
  }
  const { path, size, mtimeMs, from, offset, headHash, partial, diagnostics } = scan
  return {
    path,
    size,
    mtimeMs,
    from,
    offset,
    headHash,
    partial,
    json,
    diagnostics,
    texts,
    numbers,
    names,
    ...(scan.copy === undefined ? {} : { copy: scan.copy })
  }
}

/** The scan a `Wire` carries, with its states parsed from their JSON. */
export const decode = (wire: Wire): { readonly scan: FileScan.Scan; readonly json: Json } => {
  const { numbers, names, texts } = wire
  const docs: Array<FileScan.IndexedDoc> = new Array(texts.length)
  for (let i = 0, at = 0; i < texts.length; i++, at += FIELDS) {
    const turnIndex = numbers[at + 2] as number
    const turnId = numbers[at + 4] as number
    docs[i] = {
      kind: names[numbers[at + 3] as number] as SearchDoc.Kind,
      text: texts[i] as string,
      offset: numbers[at] as number,
      line: numbers[at + 1] as number,
      turnIndex: turnIndex < 0 ? null : turnIndex,
      turnId: turnId < 0 ? null : (names[turnId] as string)
    }
  }
  const { path, size, mtimeMs, from, offset, headHash, partial, json, diagnostics } = wire
  const state = JSON.parse(json.state) as FileScan.State
  const tail = json.tail === null ? null : (JSON.parse(json.tail) as FileScan.State)
  const copy = wire.copy === undefined ? {} : { copy: wire.copy }
  return { scan: { path, size, mtimeMs, from, offset, headHash, partial, state, tail, docs, diagnostics, ...copy }, json }
}
