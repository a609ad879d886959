/**
 * Plain search text as a PostgreSQL `tsquery`, matched as the local index matches it: the words
 * in order as one phrase, the last one also as a prefix. Only letters, digits and `_` pass, so no
 * user text is ever tsquery syntax. The `simple` configuration (lower-casing, no stemming, no stop
 * words) keeps any language's words as typed, as SQLite's unicode61 tokenizer does.
 */
export const CONFIG = "simple"

/** The `to_tsquery` source for `text`, or undefined when it has no word. */
export const source = (text: string): string | undefined => {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? []
  if (words.length === 0) return undefined
  return `${words.join(" <-> ")}:*`
}
