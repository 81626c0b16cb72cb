/** The text with the characters at `indices` marked (fuzzy-match highlighting). */
export function Highlight({ text, indices }: { text: string; indices: readonly number[] }) {
  if (indices.length === 0) return <>{text}</>
  const marked = new Set(indices)
  const runs: { text: string; mark: boolean }[] = []
  for (let i = 0; i < text.length; i++) {
    const mark = marked.has(i)
    const last = runs[runs.length - 1]
    if (last && last.mark === mark) last.text += text[i]
    else runs.push({ text: text[i]!, mark })
  }
  return (
    <>
      {runs.map((run, i) => (run.mark ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>))}
    </>
  )
}
