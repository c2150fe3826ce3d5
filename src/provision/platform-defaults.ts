/**
 * The files a platform's installation writes by default, taken from the release's own packages:
 * /etc/resolv.conf as the stub file systemd ships (what systemd-resolved's postinst links
 * /etc/resolv.conf to), nsswitch.conf as libc-bin ships it with the `hosts:` line edited the way
 * the postinst of each NSS module the release's resolved recommends edits it, and /etc/hosts as
 * netbase's postinst writes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_DIR } from './apt.js';
import type { PlatformInstall } from './platform.js';

/** The files a scenario can take from its platform (`files: platform-default`). */
export const DEFAULT_FILES = ['resolv.conf', 'nsswitch.conf', 'hosts'] as const;
export type DefaultFile = (typeof DEFAULT_FILES)[number];

export interface PlatformDefaults {
  files: Record<DefaultFile, string>;
  /** Where each came from, in words (for repro and the docs). */
  from: Record<DefaultFile, string>;
}

/**
 * An edit dh_installnss makes to the `hosts:` line, as the postinst's own comment states it:
 * `# Installing hosts/resolve[!UNAVAIL=return] from libnss-resolve in position before=dns`.
 */
export interface NssEdit {
  entry: string;
  pkg: string;
  position: string;
}

export function nssEditsIn(postinst: string): NssEdit[] {
  const out: NssEdit[] = [];
  for (const m of postinst.matchAll(/^\s*# Installing hosts\/(\S+) from (\S+) in position (\S+)\s*$/gm)) out.push({ entry: (m[1] as string).replace(/\[/, ' ['), pkg: m[2] as string, position: m[3] as string });
  return out;
}

/** The `hosts:` line's services, each with its [action] if any: "files", "dns [NOTFOUND=return]". */
function services(line: string): string[] {
  return [...line.matchAll(/(\S+)(\s+\[[^\]]*\])?/g)].map((m) => `${m[1]}${m[2] ? ` ${(m[2] as string).trim()}` : ''}`);
}

/** Applies one edit to nsswitch.conf's hosts line, as dh_installnss does (first, last, before=X, after=X). */
export function applyNssEdit(nsswitch: string, e: NssEdit): string {
  return nsswitch.replace(/^hosts:([ \t]+)([^#\n]*?)([ \t]*(#.*)?)$/m, (whole, gap: string, list: string, tail: string) => {
    const have = services(list);
    const name = e.entry.split(' ')[0] as string;
    if (have.some((s) => s.split(' ')[0] === name)) return whole;
    const at = (word: string) => have.findIndex((s) => word.split('|').includes(s.split(' ')[0] as string));
    let i = have.length;
    if (e.position === 'first') i = 0;
    else if (e.position.startsWith('before=')) i = at(e.position.slice(7)) >= 0 ? at(e.position.slice(7)) : have.length;
    else if (e.position.startsWith('after=')) i = at(e.position.slice(6)) >= 0 ? at(e.position.slice(6)) + 1 : have.length;
    have.splice(i, 0, e.entry);
    return `hosts:${gap}${have.join(' ')}${tail}`;
  });
}

/** The here-document netbase's postinst writes /etc/hosts from (`<<-` strips leading tabs). */
export function hostsFromNetbase(postinst: string): string | undefined {
  const m = /cat > \/etc\/hosts <<-?\s*(\w+)\n([\s\S]*?)\n\1\n/.exec(postinst);
  return m ? `${(m[2] as string).split('\n').map((l) => l.replace(/^\t+/, '')).join('\n')}\n` : undefined;
}

const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);

/** The platform's default files, or what is missing from its unpack (fetch it again). */
export function platformDefaults(p: PlatformInstall): PlatformDefaults | { problem: string } {
  const resolvPath = ['usr/lib/systemd/resolv.conf', 'lib/systemd/resolv.conf'].find((f) => existsSync(join(p.root, f)));
  const nsswitch = read(join(p.root, 'usr/share/libc-bin/nsswitch.conf'));
  const netbase = read(join(p.root, CONTROL_DIR, 'netbase', 'postinst'));
  const hosts = netbase ? hostsFromNetbase(netbase) : undefined;
  const missing = [!resolvPath && 'systemd\'s resolv.conf', !nsswitch && "libc-bin's nsswitch.conf", !hosts && "netbase's postinst with its /etc/hosts"].filter(Boolean);
  if (!resolvPath || !nsswitch || !hosts) return { problem: `${p.name}'s unpack lacks ${missing.join(', ')}; run: go-dns-harness platform fetch ${p.name} --force` };
  let ns = nsswitch;
  const edits: string[] = [];
  for (const pkg of p.nssDefaults) {
    for (const e of nssEditsIn(read(join(p.root, CONTROL_DIR, pkg, 'postinst')) ?? '')) {
      ns = applyNssEdit(ns, e);
      edits.push(`${e.entry} ${e.position} (${pkg})`);
    }
  }
  return {
    files: { 'resolv.conf': readFileSync(join(p.root, resolvPath), 'utf8'), 'nsswitch.conf': ns, hosts },
    from: {
      'resolv.conf': `${p.suite}'s /${resolvPath}: the stub resolv.conf as systemd-resolved writes it with no search domains`,
      'nsswitch.conf': `${p.suite}'s libc-bin /usr/share/libc-bin/nsswitch.conf${edits.length ? `, hosts line edited as the postinsts of its resolved's recommended NSS modules do: ${edits.join(', ')}` : ''}`,
      hosts: `${p.suite}'s netbase postinst`,
    },
  };
}
