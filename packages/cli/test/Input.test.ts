import { EventEmitter } from "node:events"
import { describe, expect, it } from "vitest"
import * as Input from "../src/Input.js"

/** A stand-in for process.stdin: records raw mode and pause, emits what the test writes. */
class FakeStdin extends EventEmitter {
  raw: Array<boolean> = []
  paused = false
  constructor(readonly isTTY: boolean) {
    super()
  }
  setRawMode(raw: boolean) {
    this.raw.push(raw)
  }
  setEncoding() {}
  resume() {
    this.paused = false
  }
  pause() {
    this.paused = true
  }
}

describe("Input", () => {
  it("decodes terminal bytes to key names", () => {
    expect(Input.decode("nN\x1b[C\x1b[Dg12\r\x7fq\x03\x1b")).toEqual(["n", "N", "right", "left", "g", "1", "2", "enter", "backspace", "q", "ctrl-c", "escape"])
  })

  it("a terminal: raw mode while keys are read, restored and paused when the reader stops", async () => {
    const stdin = new FakeStdin(true)
    const input = Input.terminal(stdin)
    expect(input.interactive).toBe(true)
    const seen: Array<string> = []
    const done = (async () => {
      for await (const key of input.keys()) {
        seen.push(key)
        if (key === "q") break
      }
    })()
    await new Promise((r) => setTimeout(r, 0))
    expect(stdin.raw).toEqual([true])
    stdin.emit("data", "n\x1b[C")
    await new Promise((r) => setTimeout(r, 0))
    stdin.emit("data", "qn")
    await done
    expect(seen).toEqual(["n", "right", "q"])
    expect(stdin.raw).toEqual([true, false])
    expect(stdin.paused).toBe(true)
    expect(stdin.listenerCount("data")).toBe(0)
  })

  it("piped input: no raw mode, keys until the end of the stream", async () => {
    const stdin = new FakeStdin(false)
    const input = Input.terminal(stdin)
    const seen: Array<string> = []
    const done = (async () => {
      for await (const key of input.keys()) seen.push(key)
    })()
    await new Promise((r) => setTimeout(r, 0))
    stdin.emit("data", "np")
    stdin.emit("end")
    await done
    expect(seen).toEqual(["n", "p"])
    expect(stdin.raw).toEqual([])
  })

  it("scripted and none", async () => {
    const keys = async (i: Input.Shape) => {
      const out: Array<string> = []
      for await (const k of i.keys()) out.push(k)
      return out
    }
    expect(await keys(Input.scripted(["a", "b"]))).toEqual(["a", "b"])
    expect(await keys(Input.none)).toEqual([])
  })
})
