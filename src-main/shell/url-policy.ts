// Which URLs the desktop shell lets the renderer reach. Pure functions, so they are unit-tested.

/** Sites a link in the app may open in the user's browser (exchange docs and API-key pages, the project). */
export const EXTERNAL_HOSTS = [
  'binance.com',
  'coinbase.com',
  'kraken.com',
  'okx.com',
  'gate.io',
  'gate.com',
  'bitget.com',
  'bybit.com',
  'mexc.com',
  'github.com',
  'docs.ccxt.com',
  'tradingview.com',
] as const

/** https only, and the host is an allow-listed site or one of its subdomains; no credentials in the URL. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false
  const host = url.hostname.toLowerCase()
  return EXTERNAL_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))
}

/** The app's own page: same file on the same host (packaged/preview) or same dev-server origin; query and hash may differ. */
export function isAppUrl(raw: string, appUrl: string): boolean {
  let url: URL
  let app: URL
  try {
    url = new URL(raw)
    app = new URL(appUrl)
  } catch {
    return false
  }
  // The host too: file://other-host/<same path> is a file on another machine (a UNC share on Windows).
  // The URL parser already reads file://localhost/ as no host.
  if (app.protocol === 'file:') return url.protocol === 'file:' && url.host === app.host && url.pathname === app.pathname
  return url.origin === app.origin
}

/**
 * A download the app itself made (a report's CSV or PDF, handed over as a blob: URL of the app's page).
 * Anything else — a link to a remote file — is not downloaded.
 */
export function isAppDownload(raw: string, appUrl: string): boolean {
  if (!raw.startsWith('blob:')) return false
  const inner = raw.slice('blob:'.length)
  let app: URL
  try {
    app = new URL(appUrl)
  } catch {
    return false
  }
  if (app.protocol === 'file:') return inner.startsWith('file:///')
  try {
    return new URL(inner).origin === app.origin
  } catch {
    return false
  }
}
