import { formatQuery } from '../dns/format.js';
import { resultOf } from '../results/expect.js';
import type { CellResult, ProgramOutcome, RunResult } from '../results/model.js';
import { LEGEND, PROGRAM_LEGEND, ipv6SeenBy } from '../results/outcome-code.js';
import { cellPaths, cellText, grids } from './grid.js';
import { whatWorks } from './what-works.js';
import { problemLines } from './problems.js';

const COLUMN_TITLES: Record<string, string> = {
  '0/def': 'cgo 0<br>default',
  '0/go': 'cgo 0<br>netdns=go',
  '0/cgo': 'cgo 0<br>netdns=cgo',
  '1/def': 'cgo 1<br>default',
  '1/go': 'cgo 1<br>netdns=go',
  '1/cgo': 'cgo 1<br>netdns=cgo',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What the details panel shows for one cell; computed here so the page's script stays small. */
interface CellDetails {
  id: string;
  verdict: string;
  reason?: string;
  problems: string[];
  lookups: string[];
  queries: string[];
  trace: string[];
  observed: string;
  godebug: string;
  repro: string;
  pcap?: string;
}

/** Shown of a program's output on the page: enough to read why it failed; results.json has the rest. */
const PAGE_OUTPUT_CHARS = 4000;
const clip = (text: string): string => (text.length > PAGE_OUTPUT_CHARS ? `${text.slice(0, PAGE_OUTPUT_CHARS)}… (${text.length} characters in results.json)` : text);

/** A program cell's run, where a probe cell shows its lookups. */
function programLines(p: ProgramOutcome): string[] {
  const end = p.timedOut ? "killed at the cell's time limit" : p.signal ? `killed by ${p.signal}` : `exit ${p.exitCode}`;
  return [
    `program ${p.name}: ${end} after ${Math.round(p.elapsedMs)} ms; declared paths: ${p.paths.map((x) => `${x.name} ${x.path}`).join(', ') || 'none traced'}`,
    `--- stdout${p.dropped?.stdout ? ` (${p.dropped.stdout} bytes more not kept)` : ''}`,
    clip(p.stdout.trimEnd()),
    `--- stderr${p.dropped?.stderr ? ` (${p.dropped.stderr} bytes more not kept)` : ''}`,
    clip(p.stderr.trimEnd()),
  ];
}

function details(c: CellResult): CellDetails {
  const d: CellDetails = {
    id: c.id,
    verdict: c.verdict,
    problems: problemLines(c),
    lookups: c.program ? programLines(c.program) : c.lookups.map((l) => `${l.kind} ${l.name}: ${resultOf(l)}${l.ok ? ` ${(l.addrs ?? []).join(' ')}` : ` "${l.error ?? ''}"`} in ${Math.round(l.elapsedMs)} ms, declared path ${l.declaredPath}`),
    queries: c.queries.flatMap((list, i) => [`server ${i}: ${list.length} ${list.length === 1 ? 'query' : 'queries'}`, ...list.map(formatQuery)]),
    trace: c.declared.raw,
    observed: `${c.observed.path}${c.observed.disagrees ? ' (disagrees with the declared path)' : ''}: ${c.observed.evidence.join('; ')}`,
    godebug: c.godebugEnv,
    repro: c.repro,
  };
  if (c.reason) d.reason = c.reason;
  if (c.pcap) d.pcap = `${c.pcap.file} (${c.pcap.method})`;
  return d;
}

const STYLE = `
:root { --works: #cdeccf; --degraded: #fbe3a6; --fails: #f6c1c1; --skip: #e2e2e2; --error: #e3c7f0; font-family: system-ui, sans-serif; }
body { margin: 0; display: flex; min-height: 100vh; }
main { flex: 1; padding: 1rem 1.5rem; overflow: auto; }
header p { margin: .2rem 0; color: #444; }
#filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #ddd; z-index: 1; }
#filters label { margin-right: 1rem; }
section { margin: 1.2rem 0; }
h2 { font-size: 1.05rem; margin: 0 0 .2rem; }
.summary { margin: 0 0 .4rem; color: #555; font-size: .9rem; }
.works { margin: .4rem 0 0; max-width: 60rem; font-size: .9rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0; font-size: .8rem; text-align: center; }
th { padding: .2rem .4rem; background: #f6f6f6; font-weight: 600; }
th.row { text-align: left; white-space: nowrap; }
td button { border: 0; width: 100%; min-width: 4.5rem; padding: .3rem .4rem; font: inherit; cursor: pointer; }
.o-works { background: var(--works); } .o-degraded { background: var(--degraded); } .o-fails { background: var(--fails); }
.o-skip { background: var(--skip); } .o-error { background: var(--error); }
.mark { display: inline-block; margin-left: .3rem; padding: 0 .25rem; background: #000; color: #fff; font-weight: 700; }
table.legend td, table.legend th { text-align: left; padding: .15rem .4rem; }
.p-cgo { font-weight: 700; color: #0b3d91; box-shadow: inset 4px 0 0 #0b3d91; } .p-go { color: #222; } .odd { text-decoration: underline wavy #b00; }
td.dim button { opacity: .15; }
td button:focus-visible, td button.open { outline: 2px solid #000; outline-offset: -2px; }
.hidden { display: none; }
aside { width: 42rem; max-width: 50vw; border-left: 1px solid #ccc; padding: 1rem; overflow: auto; max-height: 100vh; position: sticky; top: 0; background: #fafafa; }
aside pre { white-space: pre-wrap; word-break: break-all; font-size: .75rem; background: #fff; border: 1px solid #ddd; padding: .4rem; }
aside h3 { font-size: .9rem; margin: .8rem 0 .2rem; }
.key span { display: inline-block; padding: 0 .4rem; margin-right: .3rem; border: 1px solid #ccc; }
`;

// The page's behaviour: filters hide rows, sections and non-matching cells; a click opens a cell.
const SCRIPT = `
const data = JSON.parse(document.getElementById('cells').textContent);
const $ = (s) => document.querySelector(s);
const f = { scenario: $('#f-scenario'), go: $('#f-go'), outcome: $('#f-outcome'), verdict: $('#f-verdict') };
function apply() {
  const sc = f.scenario.value, go = f.go.value, out = f.outcome.value, ver = f.verdict.value;
  let shown = 0;
  for (const sec of document.querySelectorAll('section[data-scenario]')) {
    let visibleInSection = 0;
    for (const tr of sec.querySelectorAll('tr[data-go]')) {
      let visibleInRow = 0;
      const rowOk = !go || tr.dataset.go === go;
      for (const td of tr.querySelectorAll('td[data-verdict]')) {
        const hit = rowOk && (!out || td.dataset.outcome === out) && (!ver || td.dataset.verdict === ver);
        td.classList.toggle('dim', !hit);
        if (hit) visibleInRow++;
      }
      tr.classList.toggle('hidden', !rowOk || ((out || ver) && visibleInRow === 0));
      visibleInSection += visibleInRow;
    }
    const hide = (sc && sec.dataset.scenario !== sc) || visibleInSection === 0;
    sec.classList.toggle('hidden', hide);
    if (!hide) shown += visibleInSection;
  }
  $('#shown').textContent = shown + ' of ' + data.length + ' cells';
}
for (const el of Object.values(f)) el.addEventListener('change', apply);
const byId = new Map(data.map((d) => [d.id, d]));
function show(id) {
  const d = byId.get(id);
  const box = $('#details');
  const put = (sel, text) => { box.querySelector(sel).textContent = text; };
  put('.id', d.id);
  put('.verdict', d.verdict + (d.reason ? ': ' + d.reason : ''));
  put('.problems', d.problems.join('\\n') || '(none)');
  put('.lookups', d.lookups.join('\\n'));
  put('.queries', d.queries.join('\\n'));
  put('.trace', d.trace.join('\\n') || '(no trace)');
  put('.observed', d.observed);
  put('.godebug', 'GODEBUG=' + d.godebug);
  put('.repro', d.repro);
  put('.pcap', d.pcap || '(none: run with --pcap-dir)');
  box.classList.remove('hidden');
  for (const b of document.querySelectorAll('button.open')) b.classList.remove('open');
  document.querySelector('button[data-id="' + CSS.escape(id) + '"]').classList.add('open');
}
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-id]');
  if (b) show(b.dataset.id);
});
$('#copy').addEventListener('click', () => navigator.clipboard && navigator.clipboard.writeText($('#details .repro').textContent));
apply();
`;

/**
 * One self-contained HTML file (no network: styles, script and data inline): an overview grid per
 * scenario, Go version by cgo/netdns, coloured by verdict and marked with the declared path;
 * filters by scenario, Go version and outcome; a click opens the cell's lookups, its queries
 * dig-style, the resolver trace, the wire evidence and the repro command.
 */
export function renderHtml(run: RunResult, summaries: Map<string, string> = new Map()): string {
  const m = run.meta;
  const gs = grids(run.cells);
  const goVersions = [...new Set(run.cells.map((c) => c.axes.go))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const verdicts = ['pass', 'fail', 'slow', 'xfail', 'info', 'skip', 'error'].filter((v) => run.cells.some((c) => c.verdict === v));
  const ipv6 = ipv6SeenBy(run.cells);
  const option = (v: string, label = v) => `<option value="${esc(v)}">${esc(label)}</option>`;
  const sections = gs.map((g) => {
    const head = `<tr><th></th>${g.columns.map((c) => `<th>${COLUMN_TITLES[c] ?? esc(c)}</th>`).join('')}</tr>`;
    const rows = g.rows.map((r) => {
      const go = r.label.split(' ')[0] ?? '';
      const tds = r.cells.map((c) => {
        if (!c) return '<td></td>';
        const t = cellText(c, ipv6);
        const paths = cellPaths(c);
        const cls = [`o-${t.class}`, paths.length === 1 ? `p-${paths[0]}` : '', c.observed.disagrees ? 'odd' : ''].filter(Boolean).join(' ');
        const body = t.verdict ? `${esc(t.text.slice(0, -t.verdict.length).trimEnd())}<span class="mark">${esc(t.verdict)}</span>` : esc(t.text);
        return `<td data-verdict="${c.verdict}" data-outcome="${t.class}"><button class="${cls}" data-id="${esc(c.id)}" title="${esc(`${c.id}: ${c.verdict}`)}">${body}</button></td>`;
      });
      return `<tr data-go="${esc(go)}"><th class="row">${esc(r.label)}</th>${tds.join('')}</tr>`;
    });
    const summary = summaries.get(g.scenario);
    const works = whatWorks(run.cells.filter((c) => c.axes.scenario === g.scenario), run.cells.map((c) => c.axes.goMinor));
    return `<section data-scenario="${esc(g.scenario)}" id="${esc(g.scenario)}"><h2>${esc(g.scenario)}</h2>${summary ? `<p class="summary">${esc(summary)}</p>` : ''}<table>${head}${rows.join('')}</table>${works ? `<p class="works">${esc(works)}</p>` : ''}</section>`;
  });
  const legend = [...LEGEND, ...(run.cells.some((c) => c.program) ? PROGRAM_LEGEND : [])].map((d) => `<tr><td class="o-${d.class}">${esc(d.code)}</td><td>${esc(d.meaning)}</td></tr>`).join('');
  const s = run.summary;
  const json = JSON.stringify(run.cells.map(details)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Go DNS compatibility · ${esc(m.startedAt)}</title>
<style>${STYLE}</style></head>
<body><main>
<header><h1>Go DNS compatibility</h1>
<p>Run ${esc(m.startedAt)} on ${esc(m.host.distro)} (kernel ${esc(m.host.kernel)}, ${esc(m.host.glibc)}), sandbox ${esc(m.sandboxMethod)}, go-dns-harness ${esc(m.harnessVersion)}; toolchains ${esc(m.toolchains.map((t) => t.version).join(', '))}.</p>
<p>${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skip, ${s.error} error${s.xfail ? `, ${s.xfail} known failing` : ''}${s.info ? `, ${s.info} measured only (no dns-expect.yaml)` : ''}.</p>
<p class="key">Each cell says what happened: what each lookup came to (the codes below), the path Go declared (go, or <span class="p-cgo">cgo</span> in bold with a bar; ! and a wavy underline where the wire shows the other client) and the time when 0.25 s or more. Colour: <span class="o-works">worked</span><span class="o-degraded">worked slowly or partly</span><span class="o-fails">failed</span><span class="o-skip">skipped</span><span class="o-error">harness error</span>. After it, whether it met the scenario's expectation: nothing when it did, <span class="mark">✗</span> when not, <span class="mark">~</span> slower than the limit, <span class="mark">x</span> known failing. Click a cell for its details.</p>
<details><summary>Outcome codes</summary><table class="legend">${legend}</table><p>A lookup that worked only after 0.5 s or more counts as degraded.</p></details>
</header>
<div id="filters">
<label>scenario <select id="f-scenario">${option('', 'all')}${gs.map((g) => option(g.scenario)).join('')}</select></label>
<label>Go <select id="f-go">${option('', 'all')}${goVersions.map((v) => option(v)).join('')}</select></label>
<label>outcome <select id="f-outcome">${option('', 'all')}${['works', 'degraded', 'fails', 'skip', 'error'].map((v) => option(v)).join('')}</select></label>
<label>expectation <select id="f-verdict">${option('', 'all')}${verdicts.map((v) => option(v)).join('')}</select></label>
<span id="shown"></span>
</div>
<div id="grid">
${sections.join('\n')}
</div>
</main>
<aside id="details" class="hidden">
<h2 class="id"></h2><p class="verdict"></p>
<h3>Problems</h3><pre class="problems"></pre>
<h3>Lookups</h3><pre class="lookups"></pre>
<h3>Queries at the fake servers</h3><pre class="queries"></pre>
<h3>Resolver trace (GODEBUG netdns)</h3><pre class="godebug"></pre><pre class="trace"></pre>
<h3>Observed on the wire</h3><pre class="observed"></pre>
<h3>Repro <button id="copy" type="button">copy</button></h3><pre class="repro"></pre>
<h3>pcap</h3><pre class="pcap"></pre>
</aside>
<script type="application/json" id="cells">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
