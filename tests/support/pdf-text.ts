import path from 'node:path'

// The text of a PDF, page by page, as a reader would copy it (pdf.js, the engine browsers use).

// __dirname: this file runs both as ESM (vitest) and as CommonJS (Playwright), and both define it.
const fontDir = `${path.resolve(__dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts')}${path.sep}`

/** A run of text where pdf.js places it: x from the page's left, y from its top, in points. */
export interface PdfTextItem {
  str: string
  x: number
  y: number
  width: number
  height: number
}

/** Each page's text runs, with their positions (for layout checks: overlaps, which page a row is on). */
export async function pdfTextItems(bytes: Uint8Array): Promise<PdfTextItem[][]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fontDir, isEvalSupported: false }).promise
  const pages: PdfTextItem[][] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i)
    const pageHeight = page.getViewport({ scale: 1 }).height
    const content = await page.getTextContent()
    const items: PdfTextItem[] = []
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue
      const [, , , , x, baseline] = item.transform as number[]
      items.push({ str: item.str, x: x!, y: pageHeight - baseline! - item.height, width: item.width, height: item.height })
    }
    pages.push(items)
  }
  await doc.destroy()
  return pages
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fontDir, isEvalSupported: false }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i)
    const content = await page.getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''))
  }
  await doc.destroy()
  return pages.join('\n')
}
