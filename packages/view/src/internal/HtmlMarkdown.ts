/**
 * Markdown from a rollout rendered to HTML for the export (markdown-it, CommonMark with tables and
 * strikethrough): raw HTML in the text is not passed through (`html: false`, so it shows as text),
 * link targets must pass `SafeUrl`, an image is embedded only when it is a data image (the page
 * loads nothing; any other image becomes a plain link), and fenced code is highlighted when the page
 * is written (`Highlight`). The result needs no script and nothing outside the page.
 */
import MarkdownIt from "markdown-it"
import * as Highlight from "./Highlight.js"
import * as HtmlText from "./HtmlText.js"
import * as SafeUrl from "./SafeUrl.js"

const md = new MarkdownIt("default", {
  html: false,
  linkify: true,
  typographer: false,
  highlight: (code, lang) => `<pre class="code"><code class="hljs">${Highlight.code(code, lang)}</code></pre>`
})

md.validateLink = (url: string) => SafeUrl.isSafe(url)
// Only links written with a scheme or `www.`: a file name such as `notes.md` is not a web address.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false })

md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]
  const src = token?.attrGet("src") ?? ""
  const alt = token?.children?.map((c) => c.content).join("") ?? ""
  if (/^data:image\//i.test(src) && SafeUrl.isSafe(src)) return `<img alt="${HtmlText.escape(alt)}" src="${HtmlText.escape(src)}">`
  // A remote image would be fetched when the page opens (and is refused by its policy): a link instead.
  return `<a href="${HtmlText.escape(src)}" rel="noopener noreferrer nofollow">[image: ${HtmlText.escape(alt || src)}]</a>`
}

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet("rel", "noopener noreferrer nofollow")
  return defaultLinkOpen(tokens, idx, options, env, self)
}

/** Markdown text as HTML (block-level: paragraphs, lists, code). */
export const render = (text: string): string => md.render(text)
