import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { payloadBytesTo } from '../pcap/read.js';

/** What the capture must hold before it is stopped: this many payload bytes to and from these endpoints. */
export interface CaptureExpectation {
  endpoints: Set<string>;
  bytes: number;
}

export interface Tcpdump {
  /** Stops the capture (once it holds `expect`, if given) and returns the file's bytes, or why there are none. */
  stop(expect?: CaptureExpectation): Promise<{ bytes: Buffer } | { error: string }>;
}

const READY_MS = 5000;
/** How long the capture may lag behind the servers before it is stopped anyway. */
const DRAIN_MS = 3000;

function fileBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * Waits until the file holds what the servers sent and received: tcpdump reads the kernel's queue
 * on its own schedule, and SIGINT makes it drop whatever it has not read yet.
 */
async function drained(file: string, expect: CaptureExpectation): Promise<void> {
  const end = Date.now() + DRAIN_MS;
  while (payloadBytesTo(fileBytes(file), expect.endpoints) < expect.bytes && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Captures everything on the sandbox's loopback (only the scenario's own traffic lives there)
 * into a file in the sandbox's scratch directory. `-U` writes each packet as it comes, so
 * stopping with SIGINT loses nothing (and `--immediate-mode` hands packets over at once: without it
 * libpcap holds them in a ring block that SIGINT discards); `-Z root` keeps tcpdump from switching to a user that may
 * not exist in the sandbox. Resolves once tcpdump says it is listening, or with why it is not.
 */
export async function startTcpdump(dir: string, id: number): Promise<Tcpdump | { error: string }> {
  const file = join(dir, `capture-${process.pid}-${id}.pcap`);
  let proc: ResultPromise;
  try {
    // GDH_TCPDUMP names another binary (or a missing one, to test the fallback).
    proc = execa(process.env.GDH_TCPDUMP ?? 'tcpdump', ['-i', 'lo', '-n', '-U', '--immediate-mode', '-s', '0', '-Z', 'root', '-w', file], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: { stderr: true } });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const ready = await new Promise<string | true>((resolve) => {
    let said = '';
    const timer = setTimeout(() => resolve(`not listening after ${READY_MS} ms: ${said.trim()}`), READY_MS);
    proc.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (/listening on/.test(said)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    void proc.then((r) => {
      clearTimeout(timer);
      resolve(r.failed && (r as { code?: string }).code === 'ENOENT' ? 'not installed' : `exited: ${(said || String(r.shortMessage ?? '')).trim().split('\n').at(-1)}`);
    });
  });
  if (ready !== true) {
    proc.kill('SIGKILL');
    await proc;
    rmSync(file, { force: true });
    return { error: ready };
  }
  return {
    async stop(expect) {
      if (expect) await drained(file, expect);
      proc.kill('SIGINT');
      await proc;
      try {
        return { bytes: readFileSync(file) };
      } catch (err) {
        return { error: `no file: ${(err as Error).message}` };
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}
