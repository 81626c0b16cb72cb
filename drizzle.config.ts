import { defineConfig } from 'drizzle-kit'

// `npm run db:generate` writes a new SQL migration for every schema change; they are committed and
// applied at start (src-main/store/open.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/store/schema.ts',
  out: './src-main/store/migrations',
})
