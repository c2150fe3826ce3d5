/** docs/fingerprints.md carries tables generated from a real run; they must be there and sound. */
import { readFileSync } from 'node:fs';
import t from 'tap';

const page = readFileSync(new URL('../../docs/fingerprints.md', import.meta.url), 'utf8');

t.test('the generated tables are present, from a real run, with no rule firing for the wrong client', async (t) => {
  const generated = /<!-- generated: begin -->([\s\S]*)<!-- generated: end -->/.exec(page)?.[1] ?? '';
  t.match(generated, /### Fingerprint rules against the declared path/);
  t.match(generated, /### What each client sends/);
  t.match(generated, /From \d{4}-\d\d-\d\dT[\d:.]+Z on .*glibc \d+\.\d+/, 'the run is dated and names its glibc');
  const rows = [...generated.matchAll(/^\| (go1\.\d+\.\d+) \| (go|cgo) \| \d+ \(\d+\) \|/gm)];
  t.ok(rows.length >= 2, `${rows.length} fingerprint rows`);
  t.notMatch(generated, /wrong client/, 'no rule fired for the wrong client');
});
