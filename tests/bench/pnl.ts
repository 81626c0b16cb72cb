// Lots, positions and realized P&L for 1,000,000 fills (issue 6, point 3), exact, against a plain
// floating-point loop over the same fills (tests/bench/portfolio/float-pnl.ts: the same rules in floats,
// the lower bound). The workload (tests/bench/portfolio-workload.ts): 4 accounts, BTC/USDT, ETH/USDT,
// BNB/USDT and ETH/BTC, fees in the quote, the base and BNB, lots opened, split and closed throughout.
//
//   pnl.fifo            computePortfolio (FIFO, BigInt fixed point, 18 places) over the fills in memory
//   pnl.average         the same, average cost
//   pnl.fifo.db         computePortfolio reading the same fills from the ledger in SQLite (what the CLI
//                       and the app do), against the same in-memory float loop
//   pnl.*.peak-rss      the process's peak RSS (generation of the 1M fills included), against the 1 GiB
//                       budget the issue sets
//
// Each measurement runs in a child process of its own (so the peak RSS is its own), best of 2 rounds each.
// Aim (issue): under 5 s and under 1 GiB.
//
//   npm run bench -- --only pnl
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import type { BenchResult } from './run'

export const area = 'pnl'

interface ChildResult {
  mode: string
  fills: number
  seconds: number
  floatSeconds: number
  realized: string
  floatRealized: number
  drift: number
  inputRssMiB: number
  peakRssMiB: number
  heapUsedMiB: number
}

const ROOT = path.resolve(__dirname, '..', '..')

function measure(mode: 'fifo' | 'average' | 'fifo-db'): ChildResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'portfolio', 'pnl-child.ts'), mode], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (child.status !== 0) throw new Error(`pnl bench child (${mode}) failed with status ${child.status}`)
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as ChildResult
  if (!(result.drift < 1e-6)) throw new Error(`pnl bench: exact realized ${result.realized} vs float ${result.floatRealized} — not the same work`)
  process.stderr.write(
    `pnl.${mode}: ${result.fills} fills, ${result.seconds.toFixed(2)} s exact vs ${result.floatSeconds.toFixed(2)} s float; peak RSS ${result.peakRssMiB} MiB (input ${result.inputRssMiB} MiB), heap after ${result.heapUsedMiB} MiB; realized ${result.realized}\n`,
  )
  return result
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  for (const mode of ['fifo', 'average', 'fifo-db'] as const) {
    const r = measure(mode)
    out.push({
      bench: `pnl.${mode === 'fifo-db' ? 'fifo.db' : mode} (1M fills, exact)`,
      value: r.seconds,
      unit: 's',
      baseline: `float ${mode === 'average' ? 'average' : 'FIFO'} loop${mode === 'fifo-db' ? ' (fills in memory)' : ''}`,
      baselineValue: r.floatSeconds,
    })
    out.push({ bench: `pnl.${mode === 'fifo-db' ? 'fifo.db' : mode}.peak-rss`, value: r.peakRssMiB, unit: 'MiB', baseline: 'budget: 1 GiB peak RSS', baselineValue: 1024 })
  }
  return out
}
