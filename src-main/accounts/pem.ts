// Whether a secret is a PEM private key (RSA, EC or Ed25519), with real or escaped ("\n") line breaks.
// Checked piece by piece, in time proportional to its length: a single pattern whose parts overlap
// (whitespace and "\n" both allowed after BEGIN and in the body) backtracks on a BEGIN line followed by
// thousands of line breaks and no END line — seconds for a 16k secret, with the engine answering nobody.
// Accepts exactly what this did:
//   /^-----BEGIN ((RSA|EC|ENCRYPTED) )?PRIVATE KEY-----(\s|\\n)+[A-Za-z0-9+/=\s\\n]+-----END ((RSA|EC|ENCRYPTED) )?PRIVATE KEY-----(\\n)*$/

const KINDS = ['', 'RSA ', 'EC ', 'ENCRYPTED ']
const BEGIN_LINES = KINDS.map((k) => `-----BEGIN ${k}PRIVATE KEY-----`)
const END_LINES = KINDS.map((k) => `-----END ${k}PRIVATE KEY-----`)
const ESCAPED_BREAK = '\\n'
/** One character at a time, so nothing can backtrack. */
const SPACE = /^\s$/

const isBase64 = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 /* + */ || c === 47 /* / */ || c === 61 /* = */
const isBodyChar = (s: string, i: number) => isBase64(s.charCodeAt(i)) || s[i] === '\\' || SPACE.test(s[i]!)

export function isPemPrivateKey(value: string): boolean {
  const begin = BEGIN_LINES.find((line) => value.startsWith(line))
  if (begin === undefined) return false
  // Escaped line breaks after the END line.
  let end = value.length
  while (end >= begin.length + ESCAPED_BREAK.length && value.endsWith(ESCAPED_BREAK, end)) end -= ESCAPED_BREAK.length
  const last = END_LINES.find((line) => value.endsWith(line, end))
  if (last === undefined) return false
  const from = begin.length
  const to = end - last.length
  // The body opens with a line break (real or escaped) and has at least one character after it.
  const opening = SPACE.test(value[from] ?? '') ? 1 : value.startsWith(ESCAPED_BREAK, from) ? ESCAPED_BREAK.length : 0
  if (opening === 0 || to - from <= opening) return false
  for (let i = from; i < to; i++) if (!isBodyChar(value, i)) return false
  return true
}
