import { UsageError } from '../errors.js';
import { discoverMusl, type MuslInstall } from '../provision/musl.js';

/**
 * --libc values: glibc (the system's), musl (every musl in the cache), musl-1.2.3 (that one).
 * Default: glibc only.
 */
export function libcAxis(values: string[]): Array<'glibc' | MuslInstall> {
  // glibc alone needs nothing from the musl cache (a broken one must not stop a plain run).
  if (values.every((v) => v === 'glibc')) return ['glibc'];
  const found = discoverMusl();
  const out: Array<'glibc' | MuslInstall> = [];
  for (const v of values) {
    if (v === 'glibc') out.push('glibc');
    else if (v === 'musl') {
      if (found.length === 0) throw new UsageError('--libc musl: no musl in the cache; fetch them with: go-dns-harness musl fetch');
      out.push(...found);
    } else {
      const m = found.find((x) => x.name === v || x.version === v);
      if (!m) throw new UsageError(`--libc: "${v}" is not glibc, musl, or a musl in the cache (${found.map((x) => x.name).join(', ') || 'none; fetch with: go-dns-harness musl fetch'})`);
      out.push(m);
    }
  }
  return [...new Map(out.map((x) => [x === 'glibc' ? 'glibc' : x.name, x])).values()];
}
