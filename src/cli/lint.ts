import { loadScenarios, scenariosDir, selectScenarios } from '../scenario/load.js';
import { lintScenario, renderLint } from '../scenario/lint.js';

/** Lints the scenarios (all, or those named); exit 1 when any expectation is loose. */
export function lint(patterns: string[], dir = scenariosDir()): number {
  const scenarios = selectScenarios(loadScenarios(dir), patterns);
  const problems = scenarios.flatMap((s) => lintScenario(s));
  process.stdout.write(renderLint(problems, scenarios.length));
  return problems.length ? 1 : 0;
}
