import fs from 'node:fs'
import path from 'node:path'

/** The app's version from package.json at the project root (headless door and CLI). */
export function packageVersion(projectRoot: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string }
  return pkg.version ?? '0.0.0'
}
