// Counts in the report's text (the PDF, the command line): "1 disposal", "2 disposals".

/** `n` and the word for it: `one` for 1, `many` (by default `one` + "s") otherwise. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
