/**
 * How a document's rowid is made: `source * SPAN + rank`, its file's `doc_sources` id and its rank
 * among the file's documents, so a file's documents are one rowid range in file order.
 */

/**
 * Rowids per source: 2^32 documents for one file, and up to 2^21 sources before a rowid passes
 * 2^53, the largest integer a JavaScript number holds exactly. The view `docs` divides by it.
 */
export const SPAN = 4_294_967_296

export const MAX_SOURCES = 2 ** 21
