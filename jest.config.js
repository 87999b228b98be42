/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig's isolatedModules makes ts-jest transpile only (type-checking is `npm run typecheck`);
    // TypeScript emits the decorator metadata TypeORM and type-graphql read. (Not @swc/jest: jest 30
    // and swc pull platform packages the registry here lacks, and `npm ci` then refuses the lock file.)
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Decorators read type metadata as modules load, whichever a test imports first.
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  maxWorkers: 2,
};
