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

/**
 * The worker's environment: ours, less NODE_OPTIONS, whose preloads (a test runner's loaders,
 * a profiler) belong to this process and may not even be readable by the sandbox's user.
 */
export function workerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}
