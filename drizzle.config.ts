import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./relay/store/schema.ts', './relay/marketplace/schema.ts'],
  out: './migrations',
})
