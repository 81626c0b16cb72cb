import path from 'node:path'
import os from 'node:os'

export const APP_NAME = 'CryptoOrchestrator'

/**
 * The platform's app-data folder for this app: the same folder Electron's app.getPath('userData')
 * gives the desktop app (appData + productName), so the headless door and the CLI find the same database.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME)
}

/** Where the committed migrations are, seen from the source tree (headless, CLI, tests). */
export function sourceMigrationsDir(projectRoot: string): string {
  return path.join(projectRoot, 'src-main', 'store', 'migrations')
}
