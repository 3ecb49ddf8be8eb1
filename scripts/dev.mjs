// `npm start`: the whole platform locally, state kept in .wrangler/state between runs.
import { startPlatform } from './local-platform.mjs'

const port = Number(process.env.PORT ?? 8787)
const platform = await startPlatform({ port, stdio: 'inherit' })
console.log(`\nRelay:  ${platform.url}\nNIP-11: ${platform.httpUrl} (Accept: application/nostr+json)\n`)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => platform.stop().then(() => process.exit(0)))
