/**
 * The SDK's main entry runs unchanged in browsers and Workers: it bundles for the browser with
 * no Node built-in and without the `ws` package, which only `oanix-sdk/node` brings.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const entry = (name: string) => fileURLToPath(new URL(name, import.meta.url))

async function bundle(file: string) {
  return build({ entryPoints: [entry(file)], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true })
}

describe('portability', () => {
  it('bundles sdk/index.ts for the browser without any Node built-in', async () => {
    const result = await bundle('./index.ts')
    expect(result.errors).toEqual([])
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((i) => i.startsWith('node:') || /\bnode_modules\/ws\//.test(i))).toEqual([])
    expect(inputs.some((i) => i.includes('sdk/services/nostr'))).toBe(true)
  })

})
