/**
 * The web app's page at `/`: an empty shell that loads the bundled app and its stylesheets from
 * this server, under a CSP that allows scripts and styles from this origin only (no inline script
 * or style, no other origin), images from data URLs, and connections back to this server. The
 * files under `/assets/` are the app itself, the same for everyone and without data, so they need
 * no token; the app carries the page's `?token=` to every API request.
 */
import * as Assets from "@rollout/web/Assets"
import * as HtmlFragment from "@rollout/view/HtmlFragment"
import { createHash } from "node:crypto"

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const etag = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`

/** The static files by name: the app, its stylesheet and the transcript's (the HTML export's). */
export const files: Readonly<Record<string, Assets.Asset>> = {
  ...Assets.files,
  "transcript.css": { type: "text/css; charset=utf-8", body: HtmlFragment.css, etag: etag(HtmlFragment.css) }
}

export const shell = (): string => {
  const asset = (name: string) => `/assets/${name}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>rollout</title>
<link rel="stylesheet" href="${asset("transcript.css")}">
<link rel="stylesheet" href="${asset("app.css")}">
<script type="module" src="${asset("app.js")}"></script>
</head>
<body>
<div id="app"><noscript>The web app needs JavaScript. The app-server protocol is on WebSocket at /rpc.</noscript></div>
</body>
</html>
`
}
