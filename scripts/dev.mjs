// `npm start`: the whole platform locally, state kept in .wrangler/state between runs, plus the
// SDK's echo DVM (sdk/examples/echo-dvm.ts) so that a kind 5050 job has an answer with no model
// configured. DEMO_DVM=0 leaves it out.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { startPlatform } from './local-platform.mjs'

const port = Number(process.env.PORT ?? 8787)
const platform = await startPlatform({ port, stdio: 'inherit' })
const stops = [() => platform.stop()]

if (process.env.DEMO_DVM !== '0') {
  // One key across restarts, so the registry keeps one echo DVM rather than one per run.
  const keyFile = '.wrangler/state/echo-dvm.key'
  if (!existsSync(keyFile)) {
    mkdirSync('.wrangler/state', { recursive: true })
    writeFileSync(keyFile, randomBytes(32).toString('hex'))
  }
  const echo = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'sdk/examples/echo-dvm.ts', platform.url], {
    stdio: 'inherit',
    env: { ...process.env, OANIX_SECRET_KEY: readFileSync(keyFile, 'utf8').trim() },
  })
  stops.push(() => echo.kill())
}

console.log(`\nConsole: ${platform.httpUrl} (open it in a browser)\nRelay:   ${platform.url}\nNIP-11:  ${platform.httpUrl} (Accept: application/nostr+json)\n`)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => Promise.all(stops.map((stop) => stop())).then(() => process.exit(0)))
