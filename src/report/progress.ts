import type { CellResult } from '../results/model.js';
import { cellLine } from './terminal.js';

/**
 * Progress on stderr: on a terminal one live line (cells done/total, failures, ETA); otherwise one
 * line per finished cell, which reads well in CI logs.
 */
export function progress(stream: NodeJS.WriteStream = process.stderr): { onCell: (c: CellResult, done: number, total: number) => void; end: () => void } {
  const started = Date.now();
  let failures = 0;
  const live = Boolean(stream.isTTY);
  return {
    onCell(c, done, total) {
      if (c.verdict === 'fail' || c.verdict === 'error') failures++;
      if (!live) {
        stream.write(`${cellLine(c, done, total)}\n`);
        return;
      }
      const elapsed = (Date.now() - started) / 1000;
      const eta = done > 0 ? Math.round((elapsed / done) * (total - done)) : 0;
      stream.write(`\r\x1b[K${done}/${total} cells, ${failures} failing, ${elapsed.toFixed(0)}s elapsed, ETA ${eta}s`);
    },
    end() {
      if (live) stream.write('\n');
    },
  };
}
