// Bundles the web console (console/src/main.ts) into console/public/console.js, plus chunks
// loaded on demand, with the esbuild that wrangler itself uses. Run by wrangler before
// `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml), so `npm start` and the tests
// always serve a fresh bundle.
import { readdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'

const esbuild = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'))('esbuild')
const at = (p) => fileURLToPath(new URL(p, import.meta.url))

const { metafile } = await esbuild.build({
  entryPoints: { console: at('./src/main.ts') },
  outdir: at('./public'),
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
})

// Chunks of earlier builds go once the new ones are written, so a page loading meanwhile finds its files.
const written = new Set(Object.keys(metafile.outputs).map((p) => basename(p)))
for (const name of await readdir(at('./public/chunks'))) if (!written.has(name)) await rm(at(`./public/chunks/${name}`))
