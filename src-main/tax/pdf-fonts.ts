import fs from 'node:fs'
import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'
import { AppError } from '../api/errors'

// The tax PDF's fonts: DejaVu Sans (the dejavu-fonts-ttf package), embedded, so that names in Latin, Greek
// and Cyrillic scripts, dashes, € and ✓ show as written; PDF's standard fonts cover only Latin-1 and print
// anything else as wrong letters. A character the font lacks (CJK, among others) shows as "?", and the PDF
// says so: a 15 MB CJK font in every report is not worth it.

export interface PdfFonts {
  regular: Buffer
  bold: Buffer
  /** Whether every character of `text` can be shown. */
  covers(text: string): boolean
  /** `text` with each character that cannot be shown as "?". */
  shown(text: string): string
}

const requireHere = createRequire(__filename)
let loaded: PdfFonts | null = null

export function pdfFonts(): PdfFonts {
  if (loaded) return loaded
  const file = (name: string) => {
    try {
      return fs.readFileSync(requireHere.resolve(`dejavu-fonts-ttf/ttf/${name}`))
    } catch (e) {
      throw new AppError('INTERNAL', `The PDF's font ${name} (npm package dejavu-fonts-ttf) could not be read: ${e instanceof Error ? e.message : String(e)}. Run npm install.`)
    }
  }
  const regular = file('DejaVuSans.ttf')
  const bold = file('DejaVuSans-Bold.ttf')
  const faces = [fontkit.create(regular), fontkit.create(bold)]
  const known = new Map<number, boolean>()
  const has = (cp: number): boolean => {
    // Line breaks and tabs are layout, not glyphs.
    if (cp < 0x20) return true
    let ok = known.get(cp)
    if (ok === undefined) known.set(cp, (ok = faces.every((f) => f.hasGlyphForCodePoint(cp))))
    return ok
  }
  const covers = (text: string) => {
    for (const ch of text) if (!has(ch.codePointAt(0)!)) return false
    return true
  }
  const shown = (text: string) => {
    if (covers(text)) return text
    let out = ''
    for (const ch of text) out += has(ch.codePointAt(0)!) ? ch : '?'
    return out
  }
  loaded = { regular, bold, covers, shown }
  return loaded
}
