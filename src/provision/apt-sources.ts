import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors.js';

export interface AptSource {
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
}

export interface OsRelease {
  id: string;
  codename: string;
}

export class AptConfigError extends HarnessError {
  constructor(message: string) {
    super('GDH_APT', message);
  }
}

export function readOsRelease(root = '/'): OsRelease {
  const text = readFileSync(join(root, 'etc/os-release'), 'utf8');
  const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  return { id: get('ID'), codename: get('VERSION_CODENAME') };
}

/** One-line format: `deb [signed-by=...] URI SUITE COMPONENT...`. */
export function parseOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const opts = m[1] ?? '';
    const signedBy = /signed-by=(\S+)/.exec(opts)?.[1];
    out.push({ uris: [m[2] as string], suites: [m[3] as string], components: (m[4] ?? '').split(/\s+/).filter(Boolean), ...(signedBy ? { signedBy } : {}) });
  }
  return out;
}

/** deb822 format (`*.sources`): stanzas of `Field: value`, separated by blank lines. */
export function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last) {
        fields.set(last, `${fields.get(last) ?? ''}\n${raw.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (m) {
        last = (m[1] as string).toLowerCase();
        fields.set(last, (m[2] as string).trim());
      }
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    if (!types.includes('deb') || fields.get('enabled')?.toLowerCase() === 'no') continue;
    const words = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean);
    const signedBy = fields.get('signed-by');
    out.push({
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
      // An inline key block cannot be referenced by path; apt falls back to its trusted keys then.
      ...(signedBy && !signedBy.includes('\n') ? { signedBy } : {}),
    });
  }
  return out;
}

/** Every `deb` source this machine's apt is configured with. */
export function readAptSources(root = '/'): AptSource[] {
  const out: AptSource[] = [];
  const main = join(root, 'etc/apt/sources.list');
  if (existsSync(main)) out.push(...parseOneLine(readFileSync(main, 'utf8')));
  const dir = join(root, 'etc/apt/sources.list.d');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (f.endsWith('.list')) out.push(...parseOneLine(text));
      else if (f.endsWith('.sources')) out.push(...parseDeb822(text));
    }
  }
  return out;
}

/** The Debian suites that together carry golang-1.19 to the newest. */
export const DEBIAN_TOOLCHAIN_SUITES = ['bookworm', 'bookworm-backports', 'trixie', 'trixie-backports'];

/**
 * A private sources.list reaching the Go toolchain packages: the machine's own mirror (never a
 * hard-coded host), with the suites that ship them. On Debian that is bookworm and trixie with
 * their backports, whatever this machine's release; elsewhere (Ubuntu) the configured suites.
 */
export function toolchainSourcesList(sources: AptSource[], os: OsRelease, debianSuites: string[] = DEBIAN_TOOLCHAIN_SUITES): string {
  const primary = sources.filter((s) => s.suites.some((x) => x === os.codename || x.startsWith(`${os.codename}-`)) && !s.uris.some((u) => /security/.test(u)));
  if (primary.length === 0) {
    throw new AptConfigError(
      `no apt source for this release ("${os.codename || 'unknown'}") was found in /etc/apt/sources.list or /etc/apt/sources.list.d; ` +
        'configure the distribution mirror in apt, or install Go toolchains yourself and pass them with --go',
    );
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const src of primary) {
    const opts = src.signedBy ? ` [signed-by=${src.signedBy}]` : '';
    const suites = os.id === 'debian' ? debianSuites : src.suites;
    for (const uri of src.uris) {
      for (const suite of suites) {
        const line = `deb${opts} ${uri} ${suite} ${os.id === 'debian' ? 'main' : src.components.join(' ') || 'main'}`;
        if (!seen.has(line)) lines.push(line);
        seen.add(line);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
