#!/usr/bin/env node
// The package's command (package.json "bin"): the same as `npm run cli -- …`, from any folder — after
// `npm link` (or `npm install -g .`) as `cryptoorchestrator import trades.csv --format binance --account main`.
// It runs the TypeScript CLI through tsx (a dependency of this checkout, not a build step), after making sure
// the native modules are built for Node (scripts/native-deps.mjs, as `npm run cli` does).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'native-deps.mjs'), 'node'], { stdio: 'inherit' })
if (native.status !== 0) process.exit(native.status ?? 1)
// tsx's loader, resolved from this checkout rather than from the caller's folder.
const tsx = import.meta.resolve('tsx')
const cli = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'src-main', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(cli.status ?? 1)
