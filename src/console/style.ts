/**
 * The console's stylesheet, served from /admin/console.css so the Content-Security-Policy can
 * forbid inline styles. System fonts, readable at 320 px, visible focus, colours that keep 4.5:1.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 1rem;background:#1b1f24;color:#fff}
header a,header button{color:#fff}
nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
nav form{margin:0}
nav button{background:none;border:1px solid #fff;border-radius:4px;padding:.1rem .6rem;font:inherit;cursor:pointer}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b5cad}
:focus-visible{outline:3px solid #e36209;outline-offset:2px}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
form.search,form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:0 0 1rem}
label{display:flex;flex-direction:column;font-size:.9rem;gap:.15rem}
input,select{font:inherit;padding:.3rem .4rem;border:1px solid #57606a;border-radius:4px;min-width:10rem}
button,.button{font:inherit;padding:.35rem .9rem;border-radius:4px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b5cad}
.notice{padding:.5rem .75rem;border-left:4px solid #1a7f37;background:#dafbe1}
.notice.error{border-color:#cf222e;background:#ffebe9}
.ok{color:#1a7f37}
.bad{color:#cf222e}
pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0;word-break:break-word}
ol.checks{list-style:none;padding:0}
ol.checks li{padding:.4rem 0;border-bottom:1px solid #d0d7de}
.fix{display:block;font-size:.9rem;color:#57606a}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:.5rem;background:#fff;color:#0b5cad;padding:.25rem .5rem;z-index:1}
figure{margin:0}
svg{max-width:100%;height:auto}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`
