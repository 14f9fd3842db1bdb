import type { UserWorkspaceConfig } from 'vitest/config';

export declare function packageProject(
  name: string,
  overrides?: { testTimeout?: number },
): UserWorkspaceConfig;
