import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Starts one throwaway PostgreSQL for the run (or uses TANDEM_TEST_PG_URL); see the file.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
