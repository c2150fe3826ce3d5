/** Deriving the toolchain sources from the machine's own apt configuration (never a fixed host). */
import t from 'tap';
import { parseDeb822, parseOneLine, readAptSources, readOsRelease, toolchainSourcesList } from '../../src/provision/apt-sources.js';

const DEB822 = `Types: deb
# a comment
URIs: http://mirror.example.invalid/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example.invalid/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://mirror.example.invalid/debian
Suites: bookworm
Components: main

Types: deb
Enabled: no
URIs: http://disabled.example.invalid/debian
Suites: bookworm
Components: main
`;

t.test('deb822 and one-line formats', async (t) => {
  const s = parseDeb822(DEB822);
  t.same(s, [
    { uris: ['http://mirror.example.invalid/debian'], suites: ['bookworm', 'bookworm-updates'], components: ['main', 'contrib'], signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg' },
    { uris: ['http://mirror.example.invalid/debian-security'], suites: ['bookworm-security'], components: ['main'] },
  ]);
  t.same(parseOneLine('deb [arch=amd64 signed-by=/k.gpg] http://m.example.invalid/ubuntu noble main universe # trailing\n# deb http://x y z\ndeb-src http://a b c\n'), [
    { uris: ['http://m.example.invalid/ubuntu'], suites: ['noble'], components: ['main', 'universe'], signedBy: '/k.gpg' },
  ]);
});

t.test('Debian: the machine mirror with bookworm, trixie and their backports', async (t) => {
  const list = toolchainSourcesList(parseDeb822(DEB822), { id: 'debian', codename: 'bookworm' });
  t.equal(list, [
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.invalid/debian bookworm main',
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.invalid/debian bookworm-backports main',
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.invalid/debian trixie main',
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.invalid/debian trixie-backports main',
    '',
  ].join('\n'));
  t.notMatch(list, /security/, 'the security archive is not a toolchain source');
});

t.test('Ubuntu: the configured suites and components', async (t) => {
  const src = parseOneLine('deb http://m.example.invalid/ubuntu noble main universe\ndeb http://m.example.invalid/ubuntu noble-backports main universe\n');
  t.equal(toolchainSourcesList(src, { id: 'ubuntu', codename: 'noble' }), 'deb http://m.example.invalid/ubuntu noble main universe\ndeb http://m.example.invalid/ubuntu noble-backports main universe\n');
});

t.test('no source for this release: a clear error', async (t) => {
  t.throws(() => toolchainSourcesList([], { id: 'debian', codename: 'bookworm' }), { code: 'GDH_APT', message: /no apt source for this release \("bookworm"\).*pass them with --go/ });
});

t.test('this machine: sources read, and the list names its own mirror', async (t) => {
  const os = readOsRelease();
  const sources = readAptSources();
  t.ok(sources.length > 0, 'apt sources found');
  const list = toolchainSourcesList(sources, os);
  const mirrors = new Set(sources.flatMap((s) => s.uris));
  for (const line of list.trim().split('\n')) t.ok([...mirrors].some((m) => line.includes(` ${m} `)), `${line} uses a configured mirror`);
});
