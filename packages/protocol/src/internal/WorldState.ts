/**
 * WorldState: the payload of a G3 `world_state` line, either a full snapshot (`full: true`) or a
 * patch of the model-visible world state. The state itself is opaque JSON kept as parsed. This
 * module does not apply patches or interpret the state's keys.
 */
import { Schema } from "effect"
import * as Wire from "../Wire.js"

export const WorldStateItem = Wire.struct({
  full: Schema.Boolean,
  state: Schema.Record(Schema.String, Wire.Json)
})
export type WorldStateItem = typeof WorldStateItem.Type
