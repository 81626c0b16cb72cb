import path from 'node:path'

// The text of a PDF, page by page, as a reader would copy it (pdf.js, the engine browsers use).

// __dirname: this file runs both as ESM (vitest) and as CommonJS (Playwright), and both define it.
const fontDir = `${path.resolve(__dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts')}${path.sep}`

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
