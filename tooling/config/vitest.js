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
 * @param {{ testTimeout?: number }} [overrides]
 */
export function packageProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions: ['@ipt/source', ...defaultClientConditions] },
    ssr: { resolve: { conditions: ['@ipt/source', ...defaultServerConditions] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 10_000,
    },
  });
}
