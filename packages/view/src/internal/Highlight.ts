/**
 * Syntax highlighting done when the page is written, not when it is read: code and diffs become
 * `<span class="hljs-…">` markup (highlight.js, core plus the languages agents write most), so the
 * exported page needs no script and the page's own stylesheet colours it. Text is escaped by the
 * highlighter; an unknown language or a very long block is only escaped.
 */
import hljs from "highlight.js/lib/core"
import bash from "highlight.js/lib/languages/bash"
import css from "highlight.js/lib/languages/css"
import diff from "highlight.js/lib/languages/diff"
import go from "highlight.js/lib/languages/go"
import ini from "highlight.js/lib/languages/ini"
import javascript from "highlight.js/lib/languages/javascript"
import json from "highlight.js/lib/languages/json"
import markdown from "highlight.js/lib/languages/markdown"
import python from "highlight.js/lib/languages/python"
import rust from "highlight.js/lib/languages/rust"
import sql from "highlight.js/lib/languages/sql"
import typescript from "highlight.js/lib/languages/typescript"
import xml from "highlight.js/lib/languages/xml"
import yaml from "highlight.js/lib/languages/yaml"
import * as HtmlText from "./HtmlText.js"

const languages = { bash, css, diff, go, ini, javascript, json, markdown, python, rust, sql, typescript, xml, yaml }
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language)
hljs.registerAliases(["console", "shell", "sh", "zsh"], { languageName: "bash" })
hljs.registerAliases(["toml"], { languageName: "ini" })

// Past this a block is shown plain: highlighting it would cost more than reading it is worth.
const MAX = 100_000

/** Highlighted markup for `text` in `language` (a fence's info word); escaped text when unknown. */
export const code = (text: string, language: string | undefined): string => {
  const name = language?.trim().split(/\s+/)[0]?.toLowerCase()
  if (name === undefined || name === "" || text.length > MAX || hljs.getLanguage(name) === undefined) return HtmlText.escape(text)
  return hljs.highlight(text, { language: name, ignoreIllegals: true }).value
}

/** Whether `language` names a language this highlighter knows. */
export const knows = (language: string): boolean => hljs.getLanguage(language.toLowerCase()) !== undefined
