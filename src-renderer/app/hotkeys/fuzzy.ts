// Fuzzy filtering for the command palette: the query's characters must appear in order in the text;
// matches at word starts and in runs score higher, gaps and leftovers cost a little. Pure (no DOM).

export interface FuzzyMatch {
  score: number
  /** Indices in the text of the matched characters (for highlighting). */
  indices: number[]
}

const MATCH = 1
const WORD_START = 0.9
const CONSECUTIVE = 1.1
const GAP = 0.05
const LEADING_GAP = 0.02
const TRAILING = 0.005

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true
  const prev = text[i - 1]!
  const here = text[i]!
  if (/[\s\-_:/.,()]/.test(prev)) return true
  // camelCase boundary: 'backupNow' → 'N'
  return prev === prev.toLowerCase() && here !== here.toLowerCase()
}

/** Scores `text` against `query` (whitespace in the query is ignored); null when it does not match. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (q.length === 0) return { score: 0, indices: [] }
  const t = text.toLowerCase()
  const n = q.length
  const m = t.length
  if (n > m) return null

  // best[i][j]: best score of q[0..i] with q[i] matched at t[j]; from[i][j]: where q[i-1] matched.
  const best: number[][] = []
  const from: number[][] = []
  for (let i = 0; i < n; i++) {
    best.push(new Array<number>(m).fill(-Infinity))
    from.push(new Array<number>(m).fill(-1))
    for (let j = i; j < m; j++) {
      if (t[j] !== q[i]) continue
      const bonus = isWordStart(text, j) ? WORD_START : 0
      if (i === 0) {
        best[i]![j] = MATCH + bonus - j * LEADING_GAP
        continue
      }
      for (let k = i - 1; k < j; k++) {
        const prev = best[i - 1]![k]!
        if (prev === -Infinity) continue
        const step = k === j - 1 ? MATCH + Math.max(CONSECUTIVE, bonus) : MATCH + bonus - (j - k - 1) * GAP
        if (prev + step > best[i]![j]!) {
          best[i]![j] = prev + step
          from[i]![j] = k
        }
      }
    }
  }

  let end = -1
  let score = -Infinity
  for (let j = 0; j < m; j++) {
    const s = best[n - 1]![j]! - (m - 1 - j) * TRAILING
    if (s > score) {
      score = s
      end = j
    }
  }
  if (end < 0) return null
  const indices: number[] = new Array<number>(n)
  for (let i = n - 1, j = end; i >= 0; i--) {
    indices[i] = j
    j = from[i]![j]!
  }
  return { score, indices }
}

export interface Ranked<T> {
  item: T
  match: FuzzyMatch
}

/**
 * Filters and sorts `items` by how well `textOf(item)` matches `query`, best first; ties keep the
 * original order. An empty query keeps every item in its original order.
 */
export function fuzzyRank<T>(items: readonly T[], query: string, textOf: (item: T) => string): Ranked<T>[] {
  const ranked: (Ranked<T> & { order: number })[] = []
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, textOf(item))
    if (match) ranked.push({ item, match, order })
  })
  ranked.sort((a, b) => b.match.score - a.match.score || a.order - b.order)
  return ranked.map(({ item, match }) => ({ item, match }))
}
