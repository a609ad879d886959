/**
 * The exported page's one stylesheet: a light and a dark theme (`prefers-color-scheme`), a
 * sticky table of contents beside the turns on wide screens, turns that the browser lays out only
 * when scrolled to (`content-visibility`, so a 5 MB page opens fast), and the colours of the
 * highlighted code. No web fonts, no images, nothing loaded.
 */

const widths = Array.from({ length: 21 }, (_, k) => `.w${k}{width:${k * 5}%}`).join("")

export const css = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--user:#ddf4ff;--accent:#0969da;
--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--cached:#8fb8e8;--fresh:#0969da;--output:#bf3989;
--k:#cf222e;--s:#0a3069;--c:#6e7781;--n:#0550ae;--t:#8250df;--add:#1a7f37;--addbg:#dafbe1;--del:#cf222e;--delbg:#ffebe9}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--user:#12263f;--accent:#4493f8;
--ok:#3fb950;--bad:#f85149;--warn:#d29922;--cached:#2f5f96;--fresh:#4493f8;--output:#db61a2;
--k:#ff7b72;--s:#a5d6ff;--c:#9198a1;--n:#79c0ff;--t:#d2a8ff;--add:#3fb950;--addbg:#12261e;--del:#f85149;--delbg:#2d1214}}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
header.page{max-width:60rem;margin:0 auto;padding:1.5rem 1rem .5rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .5rem;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;color:var(--muted);font-size:.9rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
.layout{max-width:60rem;margin:0 auto;padding:0 1rem 4rem}
nav.toc{font-size:.88rem;margin:1rem 0;border:1px solid var(--line);border-radius:8px;background:var(--panel)}
nav.toc summary{padding:.4rem .75rem;font-weight:600;cursor:pointer}
nav.toc ol{margin:0;padding:.25rem .5rem .5rem 2.6rem;max-height:60vh;overflow:auto}
nav.toc li{margin:.1rem 0}nav.toc a{text-decoration:none;color:var(--fg);display:flex;gap:.5rem;justify-content:space-between}
nav.toc a:hover .t{text-decoration:underline}nav.toc .t{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
nav.toc .m{color:var(--muted);white-space:nowrap;font-size:.8rem}nav.toc li.failed .t{color:var(--bad)}
@media (min-width:1180px){.layout{max-width:84rem;display:grid;grid-template-columns:19rem minmax(0,1fr);gap:2rem}
header.page{max-width:84rem;padding-left:22rem}
nav.toc{position:sticky;top:1rem;align-self:start;margin-top:1.5rem}nav.toc ol{max-height:calc(100vh - 5rem)}}
section.turn{border-top:1px solid var(--line);margin-top:1.5rem;padding-top:.25rem;content-visibility:auto;contain-intrinsic-size:auto 700px}
section.turn>h2{font-size:1rem;font-weight:600;margin:.5rem 0 .25rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}
section.turn>h2 a.n{color:var(--fg);text-decoration:none}section.turn>h2 .facts{color:var(--muted);font-weight:400;font-size:.85rem}
.status-failed>h2 a.n,.error{color:var(--bad)}.status-interrupted>h2 a.n{color:var(--warn)}
.strip{display:flex;align-items:center;gap:.6rem;font-size:.78rem;color:var(--muted);margin:.1rem 0 .6rem}
.strip .bar{display:inline-flex;height:.5rem;min-width:2px;max-width:14rem;flex:0 0 14rem;border-radius:3px;overflow:hidden;background:var(--line)}
.strip .bar i{display:block;height:100%}.strip i.cached{background:var(--cached)}.strip i.fresh{background:var(--fresh)}.strip i.output{background:var(--output)}
.strip .bar{flex-basis:auto}.strip .bar.w0{width:2px}${widths}
.msg{margin:.75rem 0;padding:.5rem .85rem;border-radius:8px;overflow-wrap:anywhere}
.msg .role{display:block;font-weight:600;font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.user{background:var(--user)}.user .text{white-space:pre-wrap}.assistant{background:var(--panel)}.commentary{border-left:3px solid var(--line);border-radius:0 8px 8px 0}
.msg>:last-child{margin-bottom:0}.msg p{margin:.4rem 0}
.md table{border-collapse:collapse}.md td,.md th{border:1px solid var(--line);padding:.2rem .5rem}
.note{color:var(--muted);font-style:italic;margin:.4rem 0}
.work{margin:.35rem 0;font-size:.88rem}
details.work,div.work{border:1px solid var(--line);border-radius:6px;background:var(--bg)}
details.work>summary,div.work>.head{padding:.3rem .6rem;cursor:pointer;display:flex;gap:.5rem;align-items:baseline;min-width:0}
div.work>.head{cursor:auto}
details.work>.md{padding:0 .85rem .2rem;border-top:1px solid var(--line)}details.work>.md p{margin:.4rem 0}
details.work>summary::marker{color:var(--muted)}
details.cmd>summary code.cmdline{white-space:pre-wrap;overflow-wrap:anywhere;flex:1;min-width:0;max-height:6.5em;overflow:hidden}
.prompt,.icon{color:var(--muted);font-family:ui-monospace,monospace}
.badge{font-size:.72rem;border:1px solid var(--line);border-radius:99px;padding:0 .45rem;white-space:nowrap;color:var(--muted)}
.badge.ok{color:var(--ok);border-color:var(--ok)}.badge.bad{color:var(--bad);border-color:var(--bad)}.badge.run{color:var(--warn);border-color:var(--warn)}
.dur{color:var(--muted);font-size:.78rem;white-space:nowrap}
details.cmd.failed{border-color:var(--bad)}
pre{margin:0;padding:.5rem .75rem;overflow:auto;font-size:.8rem;line-height:1.45;background:var(--panel);border-top:1px solid var(--line);max-height:32rem}
.msg pre.code{border:1px solid var(--line);border-radius:6px;max-height:none}
pre.out{white-space:pre-wrap;overflow-wrap:anywhere}
p.none{margin:0;padding:.3rem .75rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line)}
.work.note,.work.notice{padding:.1rem .2rem;color:var(--muted)}.notice.error{color:var(--bad)}.notice.warning,.notice.retry{color:var(--warn)}
.plan ul{margin:.2rem 0 .5rem;padding-left:2rem;list-style:none}.plan li::before{display:inline-block;width:1.4rem;margin-left:-1.4rem}
.plan li.done::before{content:"☑";color:var(--ok)}.plan li.doing::before{content:"▸";color:var(--warn)}.plan li.todo::before{content:"☐";color:var(--muted)}
.plan li.done{color:var(--muted)}
.message .text{padding:.2rem .75rem .5rem;white-space:pre-wrap}
img{max-width:100%}figure{margin:.5rem 0}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in,.hljs-deletion{color:var(--k)}.hljs-string,.hljs-attr,.hljs-regexp{color:var(--s)}
.hljs-comment,.hljs-quote,.hljs-meta{color:var(--c)}.hljs-number,.hljs-literal,.hljs-variable,.hljs-template-variable{color:var(--n)}
.hljs-title,.hljs-section,.hljs-type,.hljs-function .hljs-title{color:var(--t)}
.hljs-addition{color:var(--add);background:var(--addbg);display:inline-block;width:100%}
.hljs-deletion{color:var(--del);background:var(--delbg);display:inline-block;width:100%}
.diff pre.code{white-space:pre}
`
