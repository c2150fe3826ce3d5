import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../paths.js';

/**
 * How to start the worker: this very Node binary on the compiled worker module. When this module
 * runs from TypeScript sources (the test runner), the compiled worker in dist/ is used.
 */
export function workerCommand(): string[] {
  const sibling = fileURLToPath(new URL('./worker.js', import.meta.url));
  const worker = existsSync(sibling) ? sibling : join(packageRoot(), 'dist/sandbox/worker.js');
  return [process.execPath, worker];
}
