import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// nostr-wasm does not export its .wasm file; wrangler's bundler reads it anyway, vite needs the path.
const secp256k1Wasm = fileURLToPath(new URL('./node_modules/nostr-wasm/public/out/secp256k1.wasm', import.meta.url))

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        resolve: { alias: { 'nostr-wasm/public/out/secp256k1.wasm': secp256k1Wasm } },
        test: { name: 'workers', include: ['relay/**/*.test.ts', 'test/workers/**/*.test.ts'] },
      },
      {
        test: { name: 'blackbox', include: ['test/blackbox/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
})
