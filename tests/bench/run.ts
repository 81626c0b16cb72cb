import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

// `npm run bench [-- --json] [-- --only PREFIX]`: runs every tests/bench/*.ts file that exports `run`, each measuring our figure and its baseline in the same run, and prints a table or JSON lines.
export interface BenchResult {
  bench: string
  value: number
  unit: string
  baseline: string
  baselineValue: number
}

/** Higher is better: ours ÷ baseline for rates, baseline ÷ ours for times. */
export function ratioOf(r: BenchResult): number {
  const isRate = r.unit.endsWith('/s')
  return isRate ? r.value / r.baselineValue : r.baselineValue / r.value
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, only: { type: 'string' } },
    strict: true,
  })
  const dir = __dirname
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .sort()
  const rows: (BenchResult & { ratio: number })[] = []
  for (const file of files) {
    // A bench file names its area (orderbook, stream, trigger, import, pnl, copy, tax, ...) so that
    // --only can skip whole files without running them.
    const mod = (await import(path.join(dir, file))) as { run?: () => Promise<BenchResult | BenchResult[]>; area?: string }
    if (typeof mod.run !== 'function') continue
    if (values.only && mod.area && !values.only.startsWith(mod.area) && !mod.area.startsWith(values.only)) continue
    const out = await mod.run()
    for (const r of Array.isArray(out) ? out : [out]) {
      if (values.only && !r.bench.startsWith(values.only)) continue
      const row = { ...r, ratio: round(ratioOf(r)) }
      rows.push(row)
      if (values.json) process.stdout.write(`${JSON.stringify(row)}\n`)
    }
  }
  if (!values.json) printTable(rows)
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

function printTable(rows: (BenchResult & { ratio: number })[]): void {
  const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : String(round(n)))
  const table = [
    ['bench', 'value', 'unit', 'baseline', 'baseline value', 'ratio'],
    ...rows.map((r) => [r.bench, fmt(r.value), r.unit, r.baseline, fmt(r.baselineValue), `${r.ratio}×`]),
  ]
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  for (const row of table) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`)
  if (rows.length === 0) process.stdout.write('(no benchmarks matched)\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
