import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runBenches, type BenchModule, type BenchResult, type RunOptions } from '../bench/runner'

// The bench runner (`npm run bench`), driven with in-memory bench modules.

function bench(area: string, results: BenchResult[]): BenchModule & { runs: number } {
  const m = {
    file: `${area}.ts`,
    area,
    runs: 0,
    run: async () => {
      m.runs++
      return results
    },
  }
  return m
}

async function runWith(mods: BenchModule[], o: Partial<RunOptions>) {
  let stdout = ''
  let stderr = ''
  const code = await runBenches(mods, { json: true, ...o }, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) })
  const json = o.json ?? true
  return { code, stdout, stderr, rows: !json ? [] : stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }
}

const rate = (bench: string, value: number, baselineValue: number): BenchResult => ({ bench, value, unit: 'rows/s', baseline: 'raw', baselineValue })
const time = (bench: string, value: number, baselineValue: number): BenchResult => ({ bench, value, unit: 'ms', baseline: 'raw', baselineValue })

describe('bench --only', () => {
  it('a prefix matching no area is refused before anything runs, listing the areas, exit 2', async () => {
    const copy = bench('copy', [time('copy.latency', 2, 1)])
    const tax = bench('tax', [rate('tax.match', 2, 1)])
    const r = await runWith([copy, tax], { only: 'orderbok' })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('bench: no benchmark matches --only "orderbok" (areas: copy, tax)\n')
    expect(r.stdout).toBe('')
    expect(copy.runs + tax.runs).toBe(0)
  })

  it('a prefix inside an area that names no bench is refused after the run, exit 2', async () => {
    const r = await runWith([bench('copy', [time('copy.latency', 2, 1)])], { only: 'copy.nosuch' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no benchmark matches --only "copy.nosuch"')
  })

  it('runs only the matching area and benches', async () => {
    const copy = bench('copy', [time('copy.latency', 2, 1), time('copy.other', 2, 1)])
    const tax = bench('tax', [rate('tax.match', 2, 1)])
    const r = await runWith([copy, tax], { only: 'copy.lat' })
    expect(r.code).toBe(0)
    expect(r.rows.map((x) => x.bench)).toEqual(['copy.latency'])
    expect(tax.runs).toBe(0)
  })
})

describe('bench ratio', () => {
  it('keeps 3 significant figures, so a tiny ratio is not printed as 0', async () => {
    const r = await runWith([bench('copy', [time('copy.decide', 125.82, 0.009), rate('copy.rate', 1, 3), rate('copy.fast', 333327369, 272873)])], {})
    expect(r.rows.map((x) => x.ratio)).toEqual([0.0000715, 0.333, 1220])
  })

  it('the table shows the same ratio', async () => {
    const r = await runWith([bench('copy', [time('copy.decide', 125.82, 0.009)])], { json: false })
    expect(r.stdout).toContain('0.0000715×')
  })

  it('a zero time or NaN figure is an error naming the bench, never a null ratio', async () => {
    const r = await runWith([bench('copy', [time('copy.detect.p50', 0, 1), rate('copy.covered', NaN, 100), time('copy.ok', 1, 2)])], {})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('bench: copy.detect.p50: ratio Infinity (value 0 ms, baseline 1)')
    expect(r.stderr).toContain('bench: copy.covered: value NaN')
    expect(r.rows.map((x) => x.bench)).toEqual(['copy.ok'])
    expect(r.stdout).not.toContain('null')
  })
})

describe('bench JSON lines', () => {
  it('carry exactly bench, value, unit, baseline, baselineValue and ratio, even if a bench returns more', async () => {
    const extra = { ...time('pnl.fifo', 2, 1), peakRssMiB: 440, fills: 1_000_000 } as BenchResult
    const r = await runWith([bench('pnl', [extra])], {})
    expect(Object.keys(r.rows[0]!)).toEqual(['bench', 'value', 'unit', 'baseline', 'baselineValue', 'ratio'])
  })
})

describe('bench --out FILE', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
  })
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'co-bench-'))
    dirs.push(d)
    return d
  }

  it('writes exactly the JSON lines to the file, whatever npm prints on stdout, also with the table', async () => {
    const out = path.join(tempDir(), 'bench.jsonl')
    fs.writeFileSync(out, 'old contents\n')
    const r = await runWith([bench('copy', [time('copy.a', 2, 1), rate('copy.b', 3, 1)])], { json: false, out })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('copy.a')
    const lines = fs.readFileSync(out, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { bench: 'copy.a', value: 2, unit: 'ms', baseline: 'raw', baselineValue: 1, ratio: 0.5 },
      { bench: 'copy.b', value: 3, unit: 'rows/s', baseline: 'raw', baselineValue: 1, ratio: 3 },
    ])
  })

  it('a folder that does not exist is refused before any bench runs', async () => {
    const out = path.join(tempDir(), 'missing', 'bench.jsonl')
    const copy = bench('copy', [time('copy.a', 2, 1)])
    await expect(runWith([copy], { out })).rejects.toThrow(/bench\.jsonl/)
    expect(copy.runs).toBe(0)
  })
})
