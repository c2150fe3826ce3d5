/** The example GitHub workflow: shards with unique artifacts, a merge job rendering the reports. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { parse } from 'yaml';

interface Step { run?: string; uses?: string; with?: Record<string, unknown> }
interface Job { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }
const wf = parse(readFileSync(new URL('../../.github/workflows/matrix.yml', import.meta.url), 'utf8')) as { jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

t.test('shards: --shard i/n over the whole list, each uploading under its own name', async (t) => {
  const shard = wf.jobs.shard!;
  const n = shard.strategy!.matrix.shard.length;
  t.same(shard.strategy!.matrix.shard, Array.from({ length: n }, (_, i) => i + 1));
  t.match(runs(shard), new RegExp(`run --shard \\$\\{\\{ matrix\\.shard \\}\\}/${n} --out results/shard-\\$\\{\\{ matrix\\.shard \\}\\}`));
  const upload = shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  t.match(upload?.with?.name, /\$\{\{ matrix\.shard \}\}/, 'artifact names are unique per shard');
  t.match(runs(shard), /toolchains fetch \$GO_VERSIONS/);
});

t.test('merge: all shards, then JUnit, annotations and the step summary from the merged JSON', async (t) => {
  const merge = wf.jobs.merge!;
  t.equal(merge.needs, 'shard');
  const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
  t.equal(download?.with?.pattern, 'results-shard-*');
  const text = runs(merge);
  t.match(text, /merge shards\/results-shard-\*\/results\.json --out merged\.json/);
  t.match(text, /report merged\.json --format junit > junit\.xml/);
  t.match(text, /report merged\.json --format github/);
});

t.test('every harness command the workflow calls exists', async (t) => {
  const help = await execa('node', [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'help']);
  const COMMAND_NAMES = [...help.stdout.matchAll(/^  (\w+)/gm)].map((m) => m[1] as string);
  const used = [...Object.values(wf.jobs).map(runs).join('\n').matchAll(/node dist\/cli\.js (\w+)/g)].map((m) => m[1] as string);
  t.ok(used.length >= 4);
  for (const c of new Set(used)) t.ok(COMMAND_NAMES.includes(c), `${c} is a command`);
});
