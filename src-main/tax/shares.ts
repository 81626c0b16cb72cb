// A disposal's proceeds, rounded once to the cent, shared among its lines by their units (largest
// remainder): each line takes the floor of its exact share in cents, and the cents left over go one by one
// to the lines with the largest remainders (ties to the earlier line). Every share is within a cent of its
// exact share, none has the opposite sign of the total, and they add up to it exactly. Rounding each share
// and giving the last line the rest could leave that line negative (ten 0.50s of a 4.95 sale and -0.05).

/** `total` (cents) shared in proportion to `weights` (≥ 0; all 0 counts as equal); the shares add up to `total`. */
export function shareCents(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return []
  if (total < 0n) return shareCents(-total, weights).map((s) => -s)
  if (weights.every((w) => w === 0n)) return shareCents(total, weights.map(() => 1n))
  const whole = weights.reduce((n, w) => n + w, 0n)
  const shares = weights.map((w) => (total * w) / whole)
  let left = total - shares.reduce((n, s) => n + s, 0n)
  // Fewer cents are left than there are lines, so each line gets at most one.
  const order = weights.map((w, i) => ({ i, rest: (total * w) % whole })).sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1))
  for (const { i } of order) {
    if (left === 0n) break
    shares[i]! += 1n
    left--
  }
  return shares
}
