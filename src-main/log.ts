// The engine's logger: a small interface the doors can point anywhere. Never pass secrets to it.
export interface Logger {
  info(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  error(message: string, detail?: unknown): void
}

export function consoleLogger(prefix = 'engine', out: Pick<Console, 'error'> = console): Logger {
  // Logs go to stderr so stdout stays clean for machine-readable output (the headless URL, CLI JSON).
  const line = (level: string, message: string, detail?: unknown) => {
    const extra =
      detail instanceof Error ? ` ${detail.stack ?? detail.message}` : detail !== undefined ? ` ${safeJson(detail)}` : ''
    out.error(`${new Date().toISOString()} ${level} [${prefix}] ${message}${extra}`)
  }
  return {
    info: (m, d) => line('INFO', m, d),
    warn: (m, d) => line('WARN', m, d),
    error: (m, d) => line('ERROR', m, d),
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}
