#!/usr/bin/env node
// `node scripts/native-deps.mjs node|electron` — makes the native modules match the runtime about to
// start, so that switching between `npm test` / `npm run headless` (Node) and `npm start` (Electron)
// just works. Rebuilds only when the current build does not fit.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { NATIVE_MODULES, planNative } from './native-plan.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const markerFile = path.join(root, 'node_modules', '.co-native-abi')
const target = process.argv[2]
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-deps.mjs node|electron')
  process.exit(2)
}

const require = createRequire(path.join(root, 'package.json'))
const loadsInNode = () =>
  spawnSync(
    process.execPath,
    ['-e', NATIVE_MODULES.map((m) => `require(${JSON.stringify(m)})`).join(';') + ";new (require('better-sqlite3'))(':memory:').close()"],
    { cwd: root, stdio: 'ignore' },
  ).status === 0
let electronVersion = null
try {
  electronVersion = require('electron/package.json').version
} catch {
  electronVersion = null
}
const marker = fs.existsSync(markerFile) ? fs.readFileSync(markerFile, 'utf8').trim() : null
const plan = planNative(target, {
  marker,
  loadsInNode: target === 'node' ? loadsInNode() : false,
  nodeAbi: process.versions.modules,
  electronVersion,
})

const run = (cmd, args) => {
  console.error(`native-deps: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (plan.action === 'rebuild-node') {
  run('npm', ['rebuild', ...NATIVE_MODULES])
  if (!loadsInNode()) {
    console.error('native-deps: the native modules still do not load in Node after a rebuild')
    process.exit(1)
  }
} else if (plan.action === 'rebuild-electron') {
  // Downloads Electron's headers on first use (needs network, as `npm start` does anyway).
  run('npx', ['electron-builder', 'install-app-deps'])
}
fs.writeFileSync(markerFile, plan.marker)
