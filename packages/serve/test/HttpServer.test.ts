// The HTTP app in-process (Hono's `app.request`): the page, its headers, and the access rules.
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import * as HttpServer from "../src/HttpServer.js"

describe("HttpServer.app", () => {
  it("serves a page without script under a CSP that allows none", async () => {
    const app = HttpServer.app(Access.decide("127.0.0.1", undefined))
    const res = await app.request("http://127.0.0.1:4677/")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/)
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(await res.text()).not.toMatch(/<script|on\w+=/i)
  })

  it("on loopback refuses a request naming a foreign host (DNS rebinding)", async () => {
    const app = HttpServer.app(Access.decide("127.0.0.1", undefined))
    expect((await app.request("http://evil.example:4677/")).status).toBe(403)
    expect((await app.request("http://localhost:4677/healthz")).status).toBe(200)
  })

  it("off loopback requires the token, by header or query", async () => {
    const app = HttpServer.app(Access.decide("0.0.0.0", "a-token-for-tests"))
    expect((await app.request("http://10.0.0.2:4677/")).status).toBe(401)
    expect((await app.request("http://10.0.0.2:4677/", { headers: { authorization: "Bearer a-token-for-tests" } })).status).toBe(200)
    expect((await app.request("http://10.0.0.2:4677/healthz?token=a-token-for-tests")).status).toBe(200)
    expect((await app.request("http://10.0.0.2:4677/?token=wrong-token-value")).status).toBe(401)
  })

  it("no route takes a path: anything but the page and the health check is not found", async () => {
    const app = HttpServer.app(Access.decide("127.0.0.1", undefined))
    for (const url of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/sessions/x.jsonl", "/file?path=/etc/passwd"]) {
      expect((await app.request(`http://127.0.0.1:4677${url}`)).status).toBe(404)
    }
  })
})
