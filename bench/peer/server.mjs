// The peer relay: @nostr-relay/core with its SQLite event repository and zod validator,
// served by a plain `ws` server as in the library's README. Started by bench/targets/peer.mjs.
// Usage: node bench/peer/server.mjs <port> <sqlite file>
import core from '@nostr-relay/core'
import common from '@nostr-relay/common'
import sqlite from '@nostr-relay/event-repository-sqlite'
import validator_ from '@nostr-relay/validator'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { WebSocketServer } from 'ws'

const [port, file] = process.argv.slice(2)

// With BENCH_COUNT_SQL=1 (bench/scenarios/storage.mjs), every SQLite statement prepared (kysely
// prepares each query it runs, transaction control included) and every message is counted.
const counts = { sqlStatements: 0, messages: {} }
if (process.env.BENCH_COUNT_SQL) {
  const Database = createRequire(import.meta.url)('better-sqlite3')
  const prepare = Database.prototype.prepare
  Database.prototype.prepare = function (...args) {
    counts.sqlStatements++
    return prepare.apply(this, args)
  }
}
const { NostrRelay } = core
const { LogLevel, createOutgoingNoticeMessage } = common
const repository = new sqlite.EventRepositorySqlite(file)
await repository.init()
// Library defaults except subscriptions per client (20), which the fan-out and query mixes exceed.
const relay = new NostrRelay(repository, { maxSubscriptionsPerClient: 1000, logLevel: LogLevel.ERROR })
const validator = new validator_.Validator()

const http = createServer((req, res) => {
  if (req.url === '/__bench/counts') return res.end(JSON.stringify(counts))
  res.end('peer relay\n')
})
const wss = new WebSocketServer({ server: http })
wss.on('connection', (ws) => {
  relay.handleConnection(ws)
  ws.on('message', async (data) => {
    if (process.env.BENCH_COUNT_SQL) {
      const type = String(data).match(/^\s*\[\s*"(\w+)"/)?.[1] ?? 'other'
      counts.messages[type] = (counts.messages[type] ?? 0) + 1
    }
    try {
      const message = await validator.validateIncomingMessage(data)
      await relay.handleMessage(ws, message)
    } catch (error) {
      if (error instanceof Error) ws.send(JSON.stringify(createOutgoingNoticeMessage(error.message)))
    }
  })
  ws.on('close', () => relay.handleDisconnect(ws))
  ws.on('error', () => {})
})
http.listen(Number(port), '127.0.0.1', () => console.log('listening'))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0))
