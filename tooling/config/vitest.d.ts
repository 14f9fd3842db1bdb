import type { UserWorkspaceConfig } from 'vitest/config';

export declare function packageProject(
  name: string,
  options?: {
    testTimeout?: number;
    hookTimeout?: number;
    include?: string[];
    exclude?: string[];
    globalSetup?: string[];
    fileParallelism?: boolean;
  },
): UserWorkspaceConfig;
