#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests, a build, integration tests (real SQLite, sockets, keychain)
// and end-to-end tests in Debian's chromium against the headless door. Stops at the first failing step
// and ends with one summary line: "tests: N passed, M failed".
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// Not test-results/: Playwright empties that folder when it starts.
const results = path.join(root, 'test-reports')
fs.rmSync(results, { recursive: true, force: true })
fs.mkdirSync(results, { recursive: true })

const steps = [
  ['native modules for Node', 'node', ['scripts/native-deps.mjs', 'node']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit', '--', '--reporter=default', '--reporter=json', `--outputFile=${results}/unit.json`]],
  // Built before integration and e2e: both start the headless door, which serves the built renderer.
  ['build', 'npm', ['run', '-s', 'build']],
  ['integration', 'npm', ['run', '-s', 'test:integration', '--', '--reporter=default', '--reporter=json', `--outputFile=${results}/integration.json`]],
  ['e2e', 'npm', ['run', '-s', 'test:e2e']],
]

let failedStep = null
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) {
    failedStep = name
    break
  }
}

let passed = 0
let failed = 0
for (const file of ['unit.json', 'integration.json']) {
  const p = path.join(results, file)
  if (!fs.existsSync(p)) continue
  const json = JSON.parse(fs.readFileSync(p, 'utf8'))
  passed += json.numPassedTests ?? 0
  failed += json.numFailedTests ?? 0
}
const e2e = path.join(results, 'e2e.json')
if (fs.existsSync(e2e)) {
  const stats = JSON.parse(fs.readFileSync(e2e, 'utf8')).stats ?? {}
  passed += stats.expected ?? 0
  failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0)
}
if (failedStep) console.log(`\nnpm test stopped: step "${failedStep}" failed`)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(failedStep ? 1 : 0)
