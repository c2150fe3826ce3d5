import type { CellState, ResultDiff } from '../results/diff.js';

const show = (s: CellState): string => `${s.verdict} ${s.outcome} ${s.path} [${s.wire}]`;

export function renderDiff(d: ResultDiff, labels: [string, string]): string {
  const regressions = d.changed.filter((c) => c.regression).length;
  const lines = [
    `${labels[0]} -> ${labels[1]}: ${d.compared} cells compared${d.pairing === 'across-go' ? ' (paired without the Go version)' : ''}, ${d.changed.length} changed, ${regressions} regressed, ${d.changed.filter((c) => c.fixed).length} fixed`,
  ];
  if (d.changed.length) {
    lines.push('', '(verdict, outcome per lookup, declared path per lookup / observed path, [queries per server: transport type=count])');
    const width = Math.max(...d.changed.map((c) => c.key.length));
    for (const c of d.changed) {
      lines.push(`${c.regression ? 'REGRESSED' : c.fixed ? 'FIXED    ' : 'CHANGED  '} ${c.key.padEnd(width)}  ${show(c.a)}  ->  ${show(c.b)}`);
      // What the one-line state does not show: the error's words, the EDNS0 size, the time.
      for (const x of c.behaviour.filter((b) => b.field === 'error' || b.field === 'opt' || b.field === 'ms')) lines.push(`          ${x.field === 'ms' ? 'time' : x.field === 'opt' ? 'EDNS0' : 'error'}: ${x.before || '(none)'} -> ${x.after || '(none)'}`);
    }
  }
  if (d.onlyA.length) lines.push('', `only in ${labels[0]} (${d.onlyA.length}): ${d.onlyA.slice(0, 20).join(', ')}${d.onlyA.length > 20 ? ', ...' : ''}`);
  if (d.onlyB.length) lines.push('', `only in ${labels[1]} (${d.onlyB.length}): ${d.onlyB.slice(0, 20).join(', ')}${d.onlyB.length > 20 ? ', ...' : ''}`);
  return `${lines.join('\n')}\n`;
}
