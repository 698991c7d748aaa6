import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const reportsDir = fileURLToPath(new URL('../../reports/vitest/', import.meta.url));

/**
 * The vitest settings every package shares: sources resolved through the `@durably/source`
 * condition (no build needed to test), a JSON report per package for the CI summary line,
 * and `.only` refused on CI.
 */
export function durablyProject(name: string, overrides: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ['@durably/source'] },
    ssr: { resolve: { conditions: ['@durably/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      allowOnly: !process.env.CI,
      reporters: ['default', ['json', { outputFile: `${reportsDir}${name}.json` }]],
    },
  });
}
