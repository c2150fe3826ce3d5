import { fileURLToPath } from 'node:url';

/** How to start the worker: this very Node binary on the compiled worker module. */
export function workerCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('./worker.js', import.meta.url))];
}
