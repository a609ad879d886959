/**
 * One turn as the thread and replay views show it: a heading with its number, status, time,
 * duration, tokens and cost, then its body as the HTML export draws it. The body is the server's
 * rendering (escaped text, sanitised Markdown) and the page's CSP runs no inline script.
 */
import type * as Api from "../Api.js"
import { CutText } from "./CutText.js"
import * as Format from "./Format.js"

export const Turn = ({ t, href }: { t: Api.TurnEntry; href: string }) => (
  <section class={`turn status-${t.status} nav-item`} id={`turn-${t.n}`}>
    <h2>
      <a class="n" href={href}>
        Turn {t.n}
      </a>
      <span class="facts">{[t.status, Format.time(t.startedAt), Format.duration(t.durationMs)].filter((s) => s !== "").join(" · ")}</span>
      {t.usage === null ? null : (
        <span class="facts usage">
          {Format.count(t.usage.tokens.total)} tokens · {Format.usd(t.usage.costUSD)}
        </span>
      )}
    </h2>
    <div class="body" dangerouslySetInnerHTML={{ __html: t.html }} />
    {t.cuts === undefined ? null : (
      <div class="cuts">
        {t.cuts.map((c) => (
          <CutText key={`${c.part}/${c.path}`} c={c} />
        ))}
      </div>
    )}
  </section>
)
