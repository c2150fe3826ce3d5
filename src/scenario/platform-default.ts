/**
 * `files: platform-default` (or one file's value `platform-default`): the scenario takes that file
 * from the platform a cell runs on, as the release's installation writes it
 * (src/provision/platform-defaults.ts). Such a scenario has no host cells: the host's own /etc is
 * never read.
 */
import { DEFAULT_FILES, type PlatformDefaults } from '../provision/platform-defaults.js';

export const PLATFORM_DEFAULT = 'platform-default';
export { DEFAULT_FILES };

export const usesPlatformDefaults = (files: Record<string, string | null> | undefined): boolean => Object.values(files ?? {}).includes(PLATFORM_DEFAULT);

/** The scenario's files with each `platform-default` replaced by the platform's own. */
export function filesOnPlatform(files: Record<string, string | null>, defaults: PlatformDefaults): Record<string, string | null> {
  return Object.fromEntries(Object.entries(files).map(([name, v]) => [name, v === PLATFORM_DEFAULT ? defaults.files[name as keyof PlatformDefaults['files']] : v]));
}
