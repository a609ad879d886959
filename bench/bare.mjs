// The bare parse loop as a process of its own (the baseline of whole-process figures): `node
// bench/bare.mjs FILE...` or `node bench/bare.mjs --list LIST.json` (a JSON array of paths) parses
// each file with `bareParse` and prints the number of lines.
import * as fs from "node:fs"
import { bareParse } from "./baseline.mjs"

const args = process.argv.slice(2)
const paths = args[0] === "--list" ? JSON.parse(fs.readFileSync(args[1], "utf8")) : args
let lines = 0
for (const p of paths) lines += bareParse(p)
console.log(lines)
