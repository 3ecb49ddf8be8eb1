import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './relay/store/schema.ts',
  out: './migrations',
})
