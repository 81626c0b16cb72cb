// Numbers in the simulated traders' "last action" notes.

/** `x` to `digits` decimals, never "-0.0": a value that rounds to zero is shown unsigned. */
export function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits)
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text
}
