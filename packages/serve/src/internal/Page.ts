/**
 * The default CSP of every answer (none allows anything), and the page at `/` of an app built
 * without the web app's routes (`HttpServer.app` alone, as in-process tests use it): what this
 * server offers, as static HTML with no script or style at all.
 */
export const CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>rollout serve</title>
</head>
<body>
<h1>rollout serve</h1>
<p>This server answers Codex's app-server protocol (v2, as Codex 0.171) for the threads of one Codex home. It reads recorded threads; it does not run models.</p>
<ul>
<li><code>GET /</code>: this page.</li>
<li><code>GET /healthz</code>: <code>ok</code> when the server is up.</li>
<li>WebSocket <code>/</code> or <code>/rpc</code>: JSON-RPC 2.0, one message per text frame, as <code>codex app-server --listen ws://…</code>. Methods: <code>initialize</code>, <code>thread/list</code>, <code>thread/read</code>, <code>thread/turns/list</code>, <code>thread/archive</code>, <code>thread/unarchive</code>, <code>thread/name/set</code>.</li>
</ul>
<p>When the server listens beyond this machine, every request needs the access token: <code>Authorization: Bearer &lt;token&gt;</code> or <code>?token=&lt;token&gt;</code>.</p>
</body>
</html>
`
