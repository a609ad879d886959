/** The web API's failures, each with the HTTP status it answers. */
import { Data } from "effect"

/** A malformed parameter: 400. */
export class BadRequest extends Data.TaggedError("BadRequest")<{ readonly message: string }> {
  constructor(message: string) {
    super({ message })
  }
}

/** No thread of that id in the home's index: 404. */
export class NotFound extends Data.TaggedError("NotFound")<{ readonly message: string }> {
  constructor(message: string) {
    super({ message })
  }
}

export type WebError = BadRequest | NotFound

export const status = (e: WebError): 400 | 404 => {
  switch (e._tag) {
    case "BadRequest":
      return 400
    case "NotFound":
      return 404
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

export const is = (e: unknown): e is WebError => e instanceof BadRequest || e instanceof NotFound
