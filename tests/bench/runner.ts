// The bench runner's logic, apart from run.ts's file loading and process exit so it can be unit-tested.
// Not a bench itself (no `run` export).
import fs from 'node:fs'

export interface BenchResult {
  bench: string
  value: number
  unit: string
  baseline: string
  baselineValue: number
}

export type BenchRow = BenchResult & { ratio: number }

export interface BenchModule {
  file: string
  /** The area a file's benches start with (orderbook, stream, ...), so --only can skip whole files. */
  area?: string
  run: () => Promise<BenchResult | BenchResult[]>
}

export interface RunOptions {
  json: boolean
  only?: string
  /** Also write the JSON lines here (npm prints its banner on stdout unless run with -s). */
  out?: string
}

export interface Io {
  stdout(s: string): void
  stderr(s: string): void
}

/** Higher is better: ours ÷ baseline for rates, baseline ÷ ours for times. */
export function ratioOf(r: BenchResult): number {
  const isRate = r.unit.endsWith('/s')
  return isRate ? r.value / r.baselineValue : r.baselineValue / r.value
}

/** Runs the selected benches, printing a table or JSON lines; returns the exit code. */
export async function runBenches(mods: BenchModule[], o: RunOptions, io: Io): Promise<number> {
  for (const mod of mods) if (!mod.area) throw new Error(`${mod.file} exports run but no area`)
  const areas = mods.map((m) => m.area as string)
  const selected = o.only ? mods.filter((m) => inArea(o.only as string, m.area as string)) : mods
  // A misspelt prefix would otherwise run nothing and exit 0, which reads as "all benches fine".
  const noMatch = () => {
    io.stderr(`bench: no benchmark matches --only "${o.only}" (areas: ${[...new Set(areas)].sort().join(', ')})\n`)
    return 2
  }
  if (selected.length === 0) return noMatch()
  // Opened (truncated) before any bench runs: a bad path fails now, not after minutes of benches.
  const outFd = o.out === undefined ? null : openOut(o.out)
  try {
    return await runSelected(selected, o, io, outFd, noMatch)
  } finally {
    if (outFd !== null) fs.closeSync(outFd)
  }
}

function openOut(file: string): number {
  try {
    return fs.openSync(file, 'w')
  } catch (err) {
    throw new Error(`--out ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

async function runSelected(selected: BenchModule[], o: RunOptions, io: Io, outFd: number | null, noMatch: () => number): Promise<number> {
  const rows: BenchRow[] = []
  let broken = 0
  for (const mod of selected) {
    const out = await mod.run()
    for (const r of Array.isArray(out) ? out : [out]) {
      if (o.only && !r.bench.startsWith(o.only)) continue
      // Exactly the six keys of the standard, whatever else a bench returned (extras belong on stderr).
      const row: BenchRow = { bench: r.bench, value: r.value, unit: r.unit, baseline: r.baseline, baselineValue: r.baselineValue, ratio: ratioOf(r) }
      // JSON.stringify turns Infinity and NaN into null: a broken figure would pass as a row.
      const bad = [['value', row.value], ['baseline value', row.baselineValue], ['ratio', row.ratio]].find(([, n]) => !Number.isFinite(n))
      if (bad) {
        io.stderr(`bench: ${r.bench}: ${bad[0]} ${String(bad[1])} (value ${r.value} ${r.unit}, baseline ${r.baselineValue}); row left out\n`)
        broken++
        continue
      }
      row.ratio = sig3(row.ratio)
      rows.push(row)
      const line = `${JSON.stringify(row)}\n`
      if (o.json) io.stdout(line)
      if (outFd !== null) fs.writeSync(outFd, line)
    }
  }
  if (rows.length === 0 && broken === 0) return noMatch()
  if (!o.json) printTable(rows, io)
  return broken > 0 ? 1 : 0
}

/** 3 significant figures: 0.0000715 stays 0.0000715 (2 decimals made it 0), 1221.55 becomes 1220. */
export function sig3(n: number): number {
  return Number(n.toPrecision(3))
}

/** `--only orderbook.apply` selects area orderbook; `--only order` selects it too. */
function inArea(only: string, area: string): boolean {
  return only.startsWith(area) || area.startsWith(only)
}

function printTable(rows: BenchRow[], io: Io): void {
  const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : String(sig3(n)))
  const table = [
    ['bench', 'value', 'unit', 'baseline', 'baseline value', 'ratio'],
    ...rows.map((r) => [r.bench, fmt(r.value), r.unit, r.baseline, fmt(r.baselineValue), `${r.ratio}×`]),
  ]
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  for (const row of table) io.stdout(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`)
}
