import type { ImportFormat, ImportOverlap } from './importChoice'

// The import dialog's overlap check (portfolio.importCheck: the engine parses the whole file, up to 15 MiB),
// made once per file and format: on pick, to propose an account; the Import button reuses it. The target
// account needs no check of its own: overlapWarning leaves it out of the question.

export interface CheckedFile {
  name: string
  text: string
}

export type RunCheck = (query: { format: ImportFormat; fileName: string; text: string }) => Promise<ImportOverlap[]>

export function importChecker(run: RunCheck): { check(file: CheckedFile, format: ImportFormat): Promise<ImportOverlap[]> } {
  let made: { name: string; text: string; format: ImportFormat; overlaps: Promise<ImportOverlap[]> } | null = null
  return {
    check(file, format) {
      if (made !== null && made.name === file.name && made.text === file.text && made.format === format) return made.overlaps
      const overlaps = run({ format, fileName: file.name, text: file.text })
      const mine = { name: file.name, text: file.text, format, overlaps }
      made = mine
      // A failed check (the engine busy, the file unreadable) is made again next time, so its error is shown then.
      overlaps.catch(() => {
        if (made === mine) made = null
      })
      return overlaps
    },
  }
}
