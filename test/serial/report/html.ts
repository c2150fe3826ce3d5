/// <reference lib="dom" />
/**
 * The HTML report in a real headless Chromium (Debian's, driven by playwright-core): nothing
 * loads from the network, the filters work, a cell opens its details, and a screenshot shows the
 * outcome colours where the cells are (the screenshot's pixels are read back in the browser).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import t from 'tap';
import { renderHtml } from '../../../src/report/html.js';
import type { CellResult } from '../../../src/results/model.js';
import { cellResult, outcome, runResult } from '../../helpers/fixtures.js';

const CHROMIUM = [process.env.GDH_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));

function cells(): CellResult[] {
  const out: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.27.4'])
    for (const cgo of ['0', '1'])
      for (const netdns of ['default', 'go', 'cgo']) {
        out.push(cellResult(`healthy:${go}:cgo=${cgo}:netdns=${netdns}`, 'pass', cgo === '1' && netdns === 'cgo' ? 'cgo' : 'go'));
        const verdict = netdns === 'cgo' && cgo === '1' ? 'fail' : go === 'go1.19.8' && netdns === 'go' ? 'slow' : 'pass';
        out.push(cellResult(`refused:${go}:cgo=${cgo}:netdns=${netdns}`, verdict, cgo === '1' && netdns === 'cgo' ? 'cgo' : 'go'));
      }
  // One lookup that worked only after a retry second: degraded, yellow.
  out.find((c) => c.id === 'refused:go1.19.8:cgo=0:netdns=go')!.lookups[0]!.elapsedMs = 1010;
  const bad = out.find((c) => c.id === 'refused:go1.27.4:cgo=1:netdns=cgo')!;
  bad.lookups = [outcome({ ok: false, error: 'lookup app.example.test: Temporary failure in name resolution', isTemporary: true, declaredPath: 'cgo' })];
  bad.declared.raw = ['go package net: hostLookupOrder(app.example.test) = cgo'];
  bad.queries = [[{
    seq: 1, time: 12.5, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 45,
    id: 4242, opcode: 'QUERY', flags: { rd: true, ad: false, cd: false }, qname: 'app.example.test', qtype: 'A', qclass: 'IN', edns: null, nth: 1,
    rule: 0, action: 'refuse', matched: [0], delayMs: 0,
    response: { id: 4242, rcode: 'REFUSED', flags: { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false }, questions: 1, answers: 0, authorities: 0, additionals: 0, opt: 'none', length: 34 },
  }]];
  return out;
}

let browser: Browser;
let page: Page;
const requests: string[] = [];

t.before(async () => {
  if (!CHROMIUM) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (r) => requests.push(r.url()));
  const run = runResult(cells());
  const file = join(t.testdirName, 'report.html');
  t.testdir({});
  writeFileSync(file, renderHtml(run, new Map([['refused', 'The stub <refuses> every query.']])));
  await page.goto(pathToFileURL(file).href);
});
t.teardown(async () => browser?.close());

const visibleCells = () => page.locator('section:not(.hidden) tr:not(.hidden) td[data-verdict]:not(.dim)');

t.test('in Chromium', { skip: CHROMIUM ? false : 'no Chromium (apt-get install chromium, or set GDH_CHROMIUM)' }, async (t) => {
  t.test('self-contained: the page made no request beyond its own file', async (t) => {
    t.ok(requests.length >= 1);
    t.same(requests.filter((u) => !u.startsWith('file:')), []);
    t.equal(await page.locator('link[rel=stylesheet], script[src], img[src^=http]').count(), 0);
  });

  t.test('the grid: every cell says what happened, coloured by outcome, the verdict apart, text escaped', async (t) => {
    t.equal(await page.locator('td[data-verdict]').count(), 24);
    t.equal(await page.locator('#shown').textContent(), '24 of 24 cells');
    t.match(await page.locator('section#refused .summary').textContent(), 'The stub <refuses> every query.');
    const bg = (id: string) => page.locator(`button[data-id="${id}"]`).evaluate((b) => getComputedStyle(b).backgroundColor);
    const text = (id: string) => page.locator(`button[data-id="${id}"]`).textContent();
    t.equal(await bg('refused:go1.27.4:cgo=1:netdns=cgo'), 'rgb(246, 193, 193)', 'red: the lookup failed');
    t.equal(await text('refused:go1.27.4:cgo=1:netdns=cgo'), 'temp-fail cgo✗', 'what happened, then the verdict mark');
    t.equal(await bg('refused:go1.27.4:cgo=0:netdns=cgo'), 'rgb(205, 236, 207)', 'green: it worked');
    t.equal(await text('refused:go1.27.4:cgo=0:netdns=cgo'), 'ok go');
    t.equal(await bg('refused:go1.19.8:cgo=0:netdns=go'), 'rgb(251, 227, 166)', 'yellow: it worked after a second');
    t.equal(await text('refused:go1.19.8:cgo=0:netdns=go'), 'ok go 1.0s~');
    t.match(await page.locator('section#refused .works').textContent(), /^What works: Go's resolver/, 'the "what works" paragraph under the grid');
    t.match(await page.locator('table.legend').textContent(), /misbehaving/, 'the outcome codes');
    const weight = (id: string) => page.locator(`button[data-id="${id}"]`).evaluate((b) => getComputedStyle(b).fontWeight);
    t.equal(await weight('healthy:go1.27.4:cgo=1:netdns=cgo'), '700', 'the cgo path stands out');
    t.equal(await weight('healthy:go1.27.4:cgo=1:netdns=go'), '400');
  });

  t.test('filters: outcome, expectation, scenario, Go version', async (t) => {
    await page.selectOption('#f-outcome', 'fails');
    t.equal(await visibleCells().count(), 1);
    t.equal(await page.locator('section#healthy').isVisible(), false, 'a scenario with no failing cell is hidden');
    await page.selectOption('#f-outcome', '');
    await page.selectOption('#f-verdict', 'fail');
    t.equal(await visibleCells().count(), 2);
    t.same(await visibleCells().evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.verdict)), ['fail', 'fail']);
    await page.selectOption('#f-outcome', 'works');
    t.equal(await visibleCells().count(), 1, 'both at once: worked, but not as expected');
    await page.selectOption('#f-outcome', '');
    await page.selectOption('#f-verdict', '');
    await page.selectOption('#f-scenario', 'healthy');
    t.equal(await visibleCells().count(), 12);
    t.equal(await page.locator('section#refused').isVisible(), false);
    await page.selectOption('#f-go', 'go1.19.8');
    t.equal(await visibleCells().count(), 6);
    t.equal(await page.locator('#shown').textContent(), '6 of 24 cells');
    await page.selectOption('#f-scenario', '');
    await page.selectOption('#f-go', '');
    t.equal(await visibleCells().count(), 24);
  });

  t.test('a click opens the cell: lookups, queries dig-style, trace, repro', async (t) => {
    t.equal(await page.locator('#details').isVisible(), false);
    await page.click('button[data-id="refused:go1.27.4:cgo=1:netdns=cgo"]');
    t.equal(await page.locator('#details').isVisible(), true);
    t.equal(await page.locator('#details .id').textContent(), 'refused:go1.27.4:cgo=1:netdns=cgo');
    t.match(await page.locator('#details .lookups').textContent(), /host app\.example\.test: temporary "lookup app\.example\.test: Temporary failure in name resolution"/);
    t.match(await page.locator('#details .queries').textContent(), /udp 127\.0\.0\.1:40000 -> 127\.0\.0\.53:53 id=4242 A app\.example\.test no-edns rd -> refuse: REFUSED an=0 len=34/);
    t.match(await page.locator('#details .trace').textContent(), /hostLookupOrder\(app\.example\.test\) = cgo/);
    t.equal(await page.locator('#details .repro').textContent(), "go-dns-harness repro 'refused:go1.27.4:cgo=1:netdns=cgo'");
    t.match(await page.locator('#details .problems').textContent(), /expected ok, got error/);
  });

  t.test('screenshot: the outcome colours are where the cells are, and filtering removes them', async (t) => {
    const count = async (): Promise<Record<string, number>> => {
      const png = (await page.locator('#grid').screenshot()).toString('base64');
      // Decode the PNG in the browser itself and count pixels of each verdict colour.
      return page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        const want: Record<string, [number, number, number]> = { works: [0xcd, 0xec, 0xcf], fails: [0xf6, 0xc1, 0xc1], degraded: [0xfb, 0xe3, 0xa6] };
        const out: Record<string, number> = { works: 0, fails: 0, degraded: 0 };
        for (let i = 0; i < px.length; i += 4) {
          for (const [k, [r, g, bl]] of Object.entries(want)) if (Math.abs(px[i]! - r) < 3 && Math.abs(px[i + 1]! - g) < 3 && Math.abs(px[i + 2]! - bl) < 3) out[k]!++;
        }
        return out;
      }, png);
    };
    const all = await count();
    t.ok(all.works! > 0 && all.fails! > 0 && all.degraded! > 0, `every outcome colour shows: ${JSON.stringify(all)}`);
    t.ok(all.works! > all.fails! * 10, 'about as much green as there are cells that worked (22 vs 1)');
    await page.selectOption('#f-outcome', 'works');
    const worksOnly = await count();
    t.equal(worksOnly.fails, 0, 'no red once only cells that worked are shown');
    t.ok(worksOnly.works! > 0);
    await page.selectOption('#f-outcome', '');
  });
  t.end();
});
