// A table in a pdfkit document whose rows never run into each other or across a page break: each row is
// measured first (its tallest cell, wrapped to the column's width), moved whole to a new page when it would
// not fit, and the column header is drawn again at the top of each new page.

export interface Column {
  title: string
  width: number
  align: 'left' | 'right'
}

export interface TableFonts {
  regular: string
  bold: string
  /** The text as the font can show it. */
  shown: (text: string) => string
}

/** Space between a cell's text and the next column, and below each row. */
const GAP = 4
const ROW_GAP = 2

export class PdfTable {
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly columns: readonly Column[],
    private readonly headerCells: readonly string[],
    private readonly fonts: TableFonts,
    private readonly left: number,
  ) {}

  /** The column header, kept on the same page as at least one line after it. */
  header(): void {
    this.doc.font(this.fonts.bold)
    const need = this.heightOf(this.headerCells, this.columns) + ROW_GAP + this.doc.currentLineHeight(true)
    if (this.doc.y + need > this.bottom()) this.doc.addPage()
    this.draw(this.headerCells, this.columns, true)
  }

  /** A row (in other columns for a totals row); on a new page, after the header again. */
  row(cells: readonly string[], bold = false, columns: readonly Column[] = this.columns): void {
    this.doc.font(bold ? this.fonts.bold : this.fonts.regular)
    if (this.doc.y + this.heightOf(cells, columns) > this.bottom()) {
      this.doc.addPage()
      this.draw(this.headerCells, this.columns, true)
    }
    this.draw(cells, columns, bold)
  }

  private draw(cells: readonly string[], columns: readonly Column[], bold: boolean): void {
    const doc = this.doc
    doc.font(bold ? this.fonts.bold : this.fonts.regular)
    const height = this.heightOf(cells, columns)
    const y = doc.y
    let x = this.left
    columns.forEach((c, i) => {
      doc.text(this.fonts.shown(cells[i] ?? ''), x, y, { width: c.width - GAP, align: c.align })
      x += c.width
    })
    doc.x = this.left
    doc.y = y + height + ROW_GAP
  }

  private heightOf(cells: readonly string[], columns: readonly Column[]): number {
    let height = this.doc.currentLineHeight(true)
    columns.forEach((c, i) => {
      const text = this.fonts.shown(cells[i] ?? '')
      if (text !== '') height = Math.max(height, this.doc.heightOfString(text, { width: c.width - GAP, align: c.align }))
    })
    return height
  }

  private bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom
  }
}
