import type { FakeDnsOptions } from '../dns/options-schema.js';
import type { ProbeRun } from '../results/model.js';
import type { ResolvedLaunch } from '../resolved/daemon.js';

/** A file the sandbox shows at `target` (e.g. /etc/resolv.conf): `source` is a host file of ours, or null for "no such file". */
export interface FileMount {
  target: string;
  source: string | null;
}

/** What a command may write to each of stdout and stderr before the rest is only counted (8 MiB). */
export const DEFAULT_OUTPUT_CAP = 8 * 1024 * 1024;

/** Parent -> worker, one JSON object per line on the worker's stdin. */
export type Request =
  | {
      type: 'setup';
      files: FileMount[];
      servers: FakeDnsOptions[];
      /** bwrap has done the mounts already; the worker only checks them. */
      mountsDone: boolean;
      /** An empty host dir of ours where the worker mounts its scratch tmpfs. */
      scratch: string;
      /** Run the real systemd-resolved on 127.0.0.53, after the fake servers are up. */
      resolved?: ResolvedLaunch;
    }
  | {
      type: 'run';
      id: number;
      cmd: string;
      args: string[];
      env: Record<string, string>;
      timeoutMs: number;
      cwd?: string;
      /**
       * Also return a pcap of the command's DNS traffic: `auto` captures with tcpdump on lo when it
       * runs there, else writes it from the servers' capture; `log` always does the latter.
       */
      pcap?: 'auto' | 'log';
      /** Keep at most this many bytes of each of stdout and stderr; the rest is counted, not kept. */
      maxOutputBytes?: number;
    };

/** A command's run: what a probe run hands to the results (ProbeRun), with the request's id and any pcap. */
export interface RunResult extends ProbeRun {
  id: number;
  /** With `pcap`: the file's bytes (base64) and how it was made ("tcpdump", or "log" with the reason). */
  pcap?: { method: string; base64: string };
}

export interface MountReport {
  target: string;
  /** Where the bind mount went: the target, or the symlink's target for a link like Ubuntu's. */
  mountedAt: string;
  note?: string;
}

/** Worker -> parent, one JSON object per line on the worker's stdout. */
export type WorkerEvent =
  | { type: 'ready'; servers: string[][]; mounts: MountReport[]; uid: number; resolved?: { version: string; pid: number } }
  | ({ type: 'result' } & RunResult)
  | { type: 'error'; message: string; code?: string }
  | { type: 'self-test'; ok: boolean; steps: string[]; error?: string };
