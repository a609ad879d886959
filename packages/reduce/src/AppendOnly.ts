/**
 * A persistent append-only list for history folds: a prefix (`length`) of a backing array that
 * states may share. Appending pushes onto the backing array when this value owns its end (the usual
 * case in a fold), so folding N turns costs O(N) rather than the O(N²) of copying arrays; an older
 * value still sees only its own prefix, so every value behaves as immutable. Replacing or dropping
 * elements copies. It is not a general-purpose vector: no removal from the front, no mutation API.
 */

export interface AppendOnly<A> {
  readonly items: ReadonlyArray<A>
  readonly length: number
}

export const empty = <A>(): AppendOnly<A> => ({ items: [], length: 0 })

export const fromArray = <A>(items: ReadonlyArray<A>): AppendOnly<A> => ({ items: items.slice(), length: items.length })

export const append = <A>(list: AppendOnly<A>, item: A): AppendOnly<A> => {
  // An empty list is usually a shared constant (a fold's `empty` state): extending its backing
  // array in place would keep the first fold's elements alive for as long as the module is.
  if (list.length === 0) return { items: [item], length: 1 }
  // Only the value whose prefix is the whole backing array may extend it in place.
  if (list.items.length === list.length) {
    ;(list.items as Array<A>).push(item)
    return { items: list.items, length: list.length + 1 }
  }
  const items = list.items.slice(0, list.length)
  items.push(item)
  return { items, length: items.length }
}

export const get = <A>(list: AppendOnly<A>, index: number): A | undefined => (index >= 0 && index < list.length ? list.items[index] : undefined)

/** The index of the first element satisfying `f`, or -1. */
export const findIndex = <A>(list: AppendOnly<A>, f: (a: A) => boolean): number => {
  for (let i = 0; i < list.length; i++) if (f(list.items[i] as A)) return i
  return -1
}

/** The index of the last element satisfying `f`, or -1. */
export const findLastIndex = <A>(list: AppendOnly<A>, f: (a: A) => boolean): number => {
  for (let i = list.length - 1; i >= 0; i--) if (f(list.items[i] as A)) return i
  return -1
}

/** A copy with element `index` replaced (O(length): replacing is rare in history folds). */
export const set = <A>(list: AppendOnly<A>, index: number, item: A): AppendOnly<A> => {
  const items = list.items.slice(0, list.length)
  items[index] = item
  return { items, length: items.length }
}

/** The first `n` elements; shares the backing array (the next append copies). */
export const take = <A>(list: AppendOnly<A>, n: number): AppendOnly<A> => ({ items: list.items, length: Math.max(0, Math.min(n, list.length)) })

export const toArray = <A>(list: AppendOnly<A>): ReadonlyArray<A> => (list.items.length === list.length ? list.items.slice() : list.items.slice(0, list.length))

export const reduce = <A, B>(list: AppendOnly<A>, b: B, f: (b: B, a: A) => B): B => {
  let acc = b
  for (let i = 0; i < list.length; i++) acc = f(acc, list.items[i] as A)
  return acc
}
