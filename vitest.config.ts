import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 20000,
    hookTimeout: 30000,
    pool: 'forks',
    // Drops PostgreSQL test databases of test processes that ended before cleaning up (see the file).
    globalSetup: ['tests/helpers/pg-global.ts'],
  },
});
