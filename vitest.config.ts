import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url))
// nostr-wasm does not export its .wasm file; wrangler's bundler reads it anyway, vite needs the path.
const secp256k1Wasm = path('./node_modules/nostr-wasm/public/out/secp256k1.wasm')

const TEST_WORKER = { main: './test/workers/test-worker.ts', durableObjects: { TEST_DVM_A: 'TestDvm', TEST_DVM_B: 'TestDvm' } }
/** The same worker plus an SDK-built DVM (defineDvm + DvmHost), bound as the only internal DVM. */
const DVM_HOST_WORKER = { main: './test/dvm-host/worker.ts', durableObjects: { ...TEST_WORKER.durableObjects, HOSTED_DVM: 'HostedDvm' } }

/** fs-bridge's own tests; the bridge's run in `workers`. */
const EDGE_TESTS = ['fs-bridge/*.test.ts', 'fs-bridge/{file-do,file-api,r2-workspace,ws-do,proxy,blobs,edge-task,edge-logs}/**/*.test.ts']

/**
 * A project inside workerd: the platform's worker with two test DVMs bound as internal DVMs.
 * The router tests run once per routing policy, each in its own runtime.
 */
async function workersProject(name: string, include: string[], vars: Record<string, string> = {}, worker = TEST_WORKER, test: Record<string, unknown> = {}) {
  return {
    plugins: [
      cloudflareTest({
        main: worker.main,
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          durableObjects: worker.durableObjects,
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
    test: { name, include, setupFiles: ['./test/workers/apply-migrations.ts'], env: vars, ...test },
  }
}

export default defineConfig(async () => ({
  test: {
    projects: [
      await workersProject('workers', ['relay/**/*.test.ts', 'test/workers/**/*.test.ts'], { ROUTING_POLICY: 'all' }),
      // The fs-bridge, with a per-pubkey rate limit low enough for its flood test to reach.
      await workersProject('workers-fs-bridge', ['fs-bridge/bridge/**/*.test.ts'], { FS_RATE_PER_SECOND: '2', FS_RATE_BURST: '40' }),
      await workersProject('workers-round-robin', ['test/workers/routing-policy.test.ts'], { ROUTING_POLICY: 'round-robin' }),
      await workersProject('workers-least-loaded', ['test/workers/routing-policy.test.ts'], { ROUTING_POLICY: 'least-loaded' }),
      await workersProject('workers-dvm-host', ['test/dvm-host/**/*.test.ts'], { INTERNAL_DVMS: 'HOSTED_DVM' }, DVM_HOST_WORKER),
      // The edge file services, with a local HTTP origin and WebSocket echo server on localhost.
      await workersProject('workers-edge', EDGE_TESTS, { EDGE_ALLOW_HOSTS: 'localhost', PROXY_TIMEOUT_MS: '2000', PROXY_MAX_BYTES: '1048576' }, TEST_WORKER, {
        globalSetup: ['./fs-bridge/testing/servers.ts'],
      }),
      { test: { name: 'sdk', include: ['sdk/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'console', include: ['console/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'dvms', include: ['dvms/**/*.test.ts'], environment: 'node' } },
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
