import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/** Every module specifier a TS/TSX file imports (static, dynamic, require, export-from, import type). */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((f) => f.fileName)
}

export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
}

const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/')

/** Files under `roots` (except under `allowed`) that import electron. */
export function electronImportViolations(roots: string[], allowed: string[]): string[] {
  return roots
    .flatMap(sourceFiles)
    .filter((file) => !allowed.some((a) => file.startsWith(a + path.sep)))
    .filter((file) => importsOf(file).some(isElectron))
}
