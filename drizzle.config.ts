import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./relay/store/schema.ts', './relay/marketplace/schema.ts', './fs-bridge/file-do/schema.ts', './fs-bridge/bridge/audit/schema.ts'],
  out: './migrations',
})
