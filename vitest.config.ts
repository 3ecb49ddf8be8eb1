import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url))
// nostr-wasm does not export its .wasm file; wrangler's bundler reads it anyway, vite needs the path.
const secp256k1Wasm = path('./node_modules/nostr-wasm/public/out/secp256k1.wasm')

/**
 * A project inside workerd: the platform's worker with two test DVMs bound as internal DVMs.
 * The router tests run once per routing policy, each in its own runtime.
 */
async function workersProject(name: string, include: string[], vars: Record<string, string> = {}) {
  return {
    plugins: [
      cloudflareTest({
        main: './test/workers/test-worker.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          durableObjects: { TEST_DVM_A: 'TestDvm', TEST_DVM_B: 'TestDvm' },
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(path('./migrations')),
            INTERNAL_DVMS: 'TEST_DVM_A,TEST_DVM_B',
            JOB_TIMEOUT: '1',
            ...vars,
          },
        },
      }),
    ],
    resolve: { alias: { 'nostr-wasm/public/out/secp256k1.wasm': secp256k1Wasm } },
    test: { name, include, setupFiles: ['./test/workers/apply-migrations.ts'], env: vars },
  }
}

export default defineConfig(async () => ({
  test: {
    projects: [
      await workersProject('workers', ['relay/**/*.test.ts', 'test/workers/**/*.test.ts'], { ROUTING_POLICY: 'all' }),
      await workersProject('workers-round-robin', ['test/workers/routing-policy.test.ts'], { ROUTING_POLICY: 'round-robin' }),
      await workersProject('workers-least-loaded', ['test/workers/routing-policy.test.ts'], { ROUTING_POLICY: 'least-loaded' }),
      { test: { name: 'sdk', include: ['sdk/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'blackbox',
          include: ['test/blackbox/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/blackbox/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
}))
