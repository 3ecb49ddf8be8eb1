import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url))
// nostr-wasm does not export its .wasm file; wrangler's bundler reads it anyway, vite needs the path.
const secp256k1Wasm = path('./node_modules/nostr-wasm/public/out/secp256k1.wasm')

export default defineConfig(async () => ({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(path('./migrations')) } },
          }),
        ],
        resolve: { alias: { 'nostr-wasm/public/out/secp256k1.wasm': secp256k1Wasm } },
        test: {
          name: 'workers',
          include: ['relay/**/*.test.ts', 'test/workers/**/*.test.ts'],
          setupFiles: ['./test/workers/apply-migrations.ts'],
        },
      },
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
