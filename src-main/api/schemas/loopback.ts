// Whether a host name or IP address is this machine: localhost, 127.0.0.0/8 or ::1 (bracketed or not).
// Used where something sent in clear may only stay on this machine (the SMTP login with security "none").

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost') return true
  const v4 = IPV4_LOOPBACK.exec(h)
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255)
  // ::1, also written out in full (0:0:0:0:0:0:0:1, leading zeros allowed).
  return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h)
}
