/** A user's program for `run --program`: what a path names, and offline builds per toolchain and setting that never touch the user's tree. */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { ProgramModulesError, buildProgram, buildPrograms, isProgramSkip, missingModules, moduleOf, moduleTreeHash, requirements } from '../../../src/go/program-build.js';
import { ProgramError, resolveProgram, type ProgramPackage } from '../../../src/go/program.js';
import { exitCodeFor } from '../../../src/errors.js';
import { oldestAndNewest } from '../../helpers/go.js';

const EXAMPLE = new URL('../../../examples/http-client', import.meta.url).pathname;

/** Every file under a directory with its bytes and mode, to show a build changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = `${statSync(p).mode}:${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

t.test('what --program names: a main package in a module, or an executable; anything else says what would do', async (t) => {
  const pkg = resolveProgram(EXAMPLE) as ProgramPackage;
  t.match(pkg, { kind: 'package', dir: EXAMPLE, moduleRoot: EXAMPLE, modulePath: 'example.com/http-client', goLine: '1.19', vendored: false, name: 'http-client' });

  const dir = t.testdir({
    lib: { 'go.mod': 'module example.com/lib\n\ngo 1.21\n', 'lib.go': '// Package lib is not a command.\npackage lib\n' },
    nomod: { 'main.go': 'package main\n\nfunc main() {}\n' },
    empty: { 'README': 'nothing here\n', 'x_test.go': 'package main\n' },
    'notes.txt': 'not a program\n',
    nested: { 'go.mod': 'module example.com/nested\n', cmd: { tool: { 'main.go': '/* package lib */\npackage main\n\nfunc main() {}\n' } } },
  });
  const err = (p: string) => {
    try {
      resolveProgram(p);
    } catch (e) {
      return e as ProgramError;
    }
    return undefined;
  };
  t.match(err(join(dir, 'lib'))?.message, /package lib, not a main package; give the directory of a command/);
  t.match(err(join(dir, 'nomod'))?.message, /no go\.mod in .*nomod or above; .*go mod init NAME/);
  t.match(err(join(dir, 'empty'))?.message, /no Go files \(other than tests\)/);
  t.match(err(join(dir, 'notes.txt'))?.message, /not an executable \(ELF\) file and not a directory/);
  t.match(err(join(dir, 'nomod', 'main.go'))?.message, /a Go file; give its package's directory/);
  t.match(err(join(dir, 'missing'))?.message, /no such file or directory/);
  t.equal(exitCodeFor(err(join(dir, 'lib'))), 2, 'a wrong path is a usage error');
  t.match(resolveProgram(join(dir, 'nested', 'cmd', 'tool')), { kind: 'package', moduleRoot: join(dir, 'nested'), modulePath: 'example.com/nested', goLine: null, name: 'tool' }, 'a package below its module root; the package clause is read past comments');

  // A real executable, and the same bytes without the x bit.
  const bin = join(dir, 'true');
  copyFileSync('/bin/true', bin);
  t.match(resolveProgram(bin), { kind: 'binary', path: bin, name: 'true', sha256: /^[0-9a-f]{64}$/ });
  chmodSync(bin, 0o644);
  t.match(err(bin)?.message, /not executable; chmod \+x it/);
});

t.test('the example builds per toolchain and cgo setting, offline, from the cache the second time, and runs', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const before = snapshot(EXAMPLE);
  const program = resolveProgram(EXAMPLE) as ProgramPackage;
  const specs = tcs.flatMap((toolchain) => (['0', '1'] as const).map((cgo) => ({ program, toolchain, cgo, tags: [] })));
  const built = await buildPrograms(specs);
  for (const b of built) {
    if (isProgramSkip(b)) {
      t.fail(b.skipped);
      continue;
    }
    const label = `${b.spec.toolchain.version} CGO_ENABLED=${b.spec.cgo}`;
    const info = await execa(b.spec.toolchain.go, ['version', '-m', b.path], { env: { GOROOT: b.spec.toolchain.goroot } });
    t.match(info.stdout, new RegExp(`CGO_ENABLED=${b.spec.cgo}`), `${label}: the binary says how it was built`);
    t.match(info.stdout, new RegExp(`\\t${b.spec.toolchain.version.replace(/\./g, '\\.')}\\b|go version ${b.spec.toolchain.version}|: ${b.spec.toolchain.version}`), `${label}: by that toolchain`);
    const usage = await execa(b.path, [], { reject: false });
    t.equal(usage.exitCode, 2, `${label}: runs (usage error without a URL)`);
  }
  t.equal(new Set(built.map((b) => ('path' in b ? b.path : ''))).size, 4, 'four distinct binaries');
  const again = await buildProgram(specs[0]!);
  t.equal('built' in again && again.built, false, 'the second build comes from the cache');
  t.same(snapshot(EXAMPLE), before, "the user's tree is unchanged (go.mod, go.sum, no binary left beside it)");
});

t.test('a module that needs a download is named, with the command that fetches it; a go line no toolchain here meets is a skip', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const newest = tcs[1]!;
  const dir = t.testdir({
    needs: {
      'go.mod': 'module example.com/needs\n\ngo 1.19\n\nrequire example.com/not/here v1.2.3\n',
      'main.go': 'package main\n\nimport _ "example.com/not/here"\n\nfunc main() {}\n',
    },
    future: { 'go.mod': 'module example.com/future\n\ngo 1.99\n', 'main.go': 'package main\n\nfunc main() {}\n' },
  });
  const before = snapshot(dir);
  const needs = resolveProgram(join(dir, 'needs')) as ProgramPackage;
  const e = await buildProgram({ program: needs, toolchain: newest, cgo: '0', tags: [] }).catch((x: unknown) => x);
  t.type(e, ProgramModulesError);
  t.same((e as ProgramModulesError).modules, ['example.com/not/here@v1.2.3']);
  t.match((e as ProgramModulesError).message, /needs example\.com\/not\/here@v1\.2\.3, which is neither in the module cache \(.*\) nor in vendor\/, and the harness never downloads/);
  t.match((e as ProgramModulesError).detail, /go mod download \(or go mod vendor\)/);
  t.equal(exitCodeFor(e), 3, 'the machine lacks something');

  const future = resolveProgram(join(dir, 'future')) as ProgramPackage;
  const skip = await buildProgram({ program: future, toolchain: newest, cgo: '0', tags: [] });
  t.match(skip, { skipped: new RegExp(`go\\.mod says go 1\\.99; ${newest.version.replace(/\./g, '\\.')} cannot build it \\(toolchains are never downloaded`) });
  t.same(snapshot(dir), before, 'nothing written into either module (no go.sum, no edited go.mod)');
});

t.test('what go says about missing modules, read from its messages', async (t) => {
  t.same(missingModules('go: example.com/a@v1.0.0: module lookup disabled by GOPROXY=off'), ['example.com/a@v1.0.0']);
  t.same(missingModules('main.go:3:8: missing go.sum entry for module providing package golang.org/x/net/idna; to add:\n\tgo mod download golang.org/x/net'), ['golang.org/x/net/idna']);
  t.same(missingModules('main.go:3:8: no required module provides package github.com/x/y; to add it:\n\tgo get github.com/x/y'), ['github.com/x/y']);
  t.same(missingModules('./main.go:5:2: undefined: foo'), [], 'a compile error is not a missing module');
  const req = requirements('module m\n\ngo 1.21\n\nrequire example.com/one v1.0.0 // indirect\n\nrequire (\n\tgolang.org/x/net v0.20.0\n\tgolang.org/x/net/sub v0.1.0\n)\n');
  t.same([...req], [['golang.org/x/net', 'v0.20.0'], ['golang.org/x/net/sub', 'v0.1.0'], ['example.com/one', 'v1.0.0']]);
  t.equal(moduleOf('golang.org/x/net/idna', req), 'golang.org/x/net@v0.20.0', 'a package by the module that provides it');
  t.equal(moduleOf('golang.org/x/net/sub/pkg', req), 'golang.org/x/net/sub@v0.1.0', 'the longest module path wins');
  t.equal(moduleOf('github.com/x/y', req), 'github.com/x/y', 'not required at all: the package as go named it');
});

t.test('the tree hash follows the files a build reads, not VCS data or testdata', async (t) => {
  const dir = t.testdir({ 'go.mod': 'module m\n', 'main.go': 'package main\n', '.git': { HEAD: 'a' }, testdata: { 'x.txt': '1' } });
  const h = moduleTreeHash(dir);
  writeFileSync(join(dir, '.git', 'HEAD'), 'b');
  writeFileSync(join(dir, 'testdata', 'x.txt'), '2');
  t.equal(moduleTreeHash(dir), h, 'VCS data and testdata do not count');
  mkdirSync(join(dir, 'web'));
  writeFileSync(join(dir, 'web', 'index.html'), '<p>embedded</p>');
  t.not(moduleTreeHash(dir), h, 'any other file may be embedded, so it counts');
});
