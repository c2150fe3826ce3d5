/** What the end-to-end matrix tests share: the CLI as a user runs it, and two small scenarios. */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const cli = (args: string[], env: Record<string, string> = {}) => execa('node', [CLI, ...args], { reject: false, timeout: 300_000, env: { ...env, NO_COLOR: '1' } });

/** A healthy stub: every cell resolves. */
export const GOOD = `name: good
summary: A healthy stub; every cell resolves.
files:
  resolv.conf: "nameserver 127.0.0.53\\n"
  nsswitch.conf: "hosts: files dns\\n"
servers:
  - listen: [127.0.0.53:53/udp, 127.0.0.53:53/tcp]
    records: {app.example.test: {A: 192.0.2.10}}
lookups: [ip4 app.example.test]
expect:
  - when: {cgo: 1, netdns: cgo}
    result: ok
    addrs: [192.0.2.10]
    path: cgo
  - result: ok
    addrs: [192.0.2.10]
    path: go
`;
/** The same, with an expectation no cell meets. */
export const WRONG = GOOD.replace('name: good', 'name: wrong').replace(/addrs: \[192\.0\.2\.10\]\n    path: go/, 'addrs: [192.0.2.99]\n    path: go');
