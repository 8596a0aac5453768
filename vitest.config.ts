import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    // Golden files are never rewritten in CI: a mismatch must fail.
    update: false,
  },
});
