// The renderer's Content-Security-Policy. Production allows only the app's own scripts, styles and
// connections (the headless door's WebSocket is same-origin, which CSP3 'self' covers for ws:). Dev adds
// what Vite's hot reload needs. No remote content in either.
const production = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

const dev = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

/** `meta` for index.html; `header` adds what only an HTTP header can carry (the headless door sends it). */
export function cspFor(mode: 'production' | 'dev', via: 'meta' | 'header' = 'meta'): string {
  const base = mode === 'production' ? production : dev
  return via === 'header' ? `${base}; frame-ancestors 'none'` : base
}
