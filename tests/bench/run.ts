import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runBenches, type BenchModule } from './runner'

export type { BenchResult } from './runner'

// `npm run -s bench -- [--json] [--only PREFIX] [--out FILE]`: runs every tests/bench/*.ts file that exports `run`, each measuring our figure and its baseline in the same run, and prints a table or JSON lines.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  })
  const dir = __dirname
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .sort()
  const mods: BenchModule[] = []
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Partial<BenchModule>
    if (typeof mod.run === 'function') mods.push({ file, area: mod.area, run: mod.run })
  }
  const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) }
  process.exitCode = await runBenches(mods, { json: values.json, only: values.only, out: values.out }, io)
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
