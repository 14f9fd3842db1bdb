// Plain JavaScript on purpose: vite loads config files' dependencies from node_modules with
// Node itself, and Node 20 cannot import TypeScript.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

/**
 * The vitest project preset every package uses. Workspace packages export their TypeScript
 * sources under the `@ipt/source` condition, so tests run against source without a build step.
 * Vite replaces (not extends) its default conditions when given a list, hence the spread.
 *
 * @param {string} name
 * @param {{ testTimeout?: number, hookTimeout?: number, include?: string[], exclude?: string[],
 *   globalSetup?: string[], fileParallelism?: boolean }} [options]
 */
export function packageProject(name, options = {}) {
  return defineProject({
    resolve: { conditions: ['@ipt/source', ...defaultClientConditions] },
    ssr: { resolve: { conditions: ['@ipt/source', ...defaultServerConditions] } },
    test: {
      name,
      environment: 'node',
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: options.exclude ?? ['**/node_modules/**'],
      testTimeout: options.testTimeout ?? 10_000,
      hookTimeout: options.hookTimeout ?? 60_000,
      ...(options.globalSetup === undefined ? {} : { globalSetup: options.globalSetup }),
      ...(options.fileParallelism === undefined
        ? {}
        : { fileParallelism: options.fileParallelism }),
    },
  });
}
