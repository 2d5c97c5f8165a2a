import { existsSync } from 'node:fs';
// Three projects: `unit` needs nothing running; `integration` runs against the kwok
// profile of the local cluster; `e2e` against the real-node profile and the Docker engine
// (the backend conformance suite, test/conformance/, included).
// The Makefile runs them one after the other so each global setup starts only what it needs.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }] };
const common = {
  transform,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  // Only the source folders: cluster state dirs (.cluster*) hold etcd files jest would misread.
  roots: ['<rootDir>/test', '<rootDir>/sdk', '<rootDir>/operator', '<rootDir>/examples', '<rootDir>/deploy', '<rootDir>/bench'].filter((dir) => existsSync(new URL(dir.replace('<rootDir>', '.'), import.meta.url))),
  moduleNameMapper: { '^clockwork$': '<rootDir>/sdk/src/index.ts' },
};


export default {
  // A global option (not per project): spawning the CLI takes a few hundred ms, more on a busy
  // 2-core machine; suites with longer steps set their own.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/infra/kwok/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup-kwok.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown-kwok.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/infra/real/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/conformance/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup-real.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown-real.ts',
    },
  ],
};
