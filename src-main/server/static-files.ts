import fs from 'node:fs'
import path from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/** Resolves a URL path to a file inside `root`, or undefined (never escapes root). SPA paths get index.html. */
export function resolveStatic(root: string, urlPath: string): { file: string; type: string } | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const file = path.resolve(root, rel)
  if (file !== root && !file.startsWith(root + path.sep)) return undefined
  if (isFile(file)) {
    return { file, type: types[path.extname(file)] ?? 'application/octet-stream' }
  }
  if (!path.extname(rel)) return { file: path.join(root, 'index.html'), type: types['.html']! }
  return undefined
}

/** Never throws: the file may vanish between any two calls (a rebuild of the renderer while serving). */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false
  } catch {
    return false
  }
}
