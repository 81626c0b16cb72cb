// A table in a pdfkit document whose rows never run into each other or across a page break: each row is
// measured first (its tallest cell, wrapped to the column's width), moved whole to a new page when it would
// not fit, and the column header is drawn again at the top of each new page. A number column's cells never
// wrap (a figure split over two lines reads as two figures): one too wide is drawn smaller, whole.

export interface Column {
  title: string
  width: number
  align: 'left' | 'right'
  /** Figures: drawn on one line, in a smaller font when the column is too narrow. */
  number?: boolean
}

export interface TableFonts {
  regular: string
  bold: string
  /** The text as the font can show it. */
  shown: (text: string) => string
  /** The table's font size (points). */
  size: number
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
    this.doc.font(this.fonts.bold).fontSize(this.fonts.size)
    const need = this.heightOf(this.headerCells, this.columns, true) + ROW_GAP + this.doc.currentLineHeight(true)
    if (this.doc.y + need > this.bottom()) this.doc.addPage()
    this.draw(this.headerCells, this.columns, true, true)
  }

  /** A row (in other columns for a totals row); on a new page, after the header again. */
  row(cells: readonly string[], bold = false, columns: readonly Column[] = this.columns): void {
    this.doc.font(bold ? this.fonts.bold : this.fonts.regular).fontSize(this.fonts.size)
    if (this.doc.y + this.heightOf(cells, columns) > this.bottom()) {
      this.doc.addPage()
      this.draw(this.headerCells, this.columns, true, true)
    }
    this.draw(cells, columns, bold)
  }

  /** A row; the header's titles wrap like text, a row's figures do not. */
  private draw(cells: readonly string[], columns: readonly Column[], bold: boolean, header = false): void {
    const doc = this.doc
    doc.font(bold ? this.fonts.bold : this.fonts.regular).fontSize(this.fonts.size)
    const height = this.heightOf(cells, columns, header)
    const y = doc.y
    let x = this.left
    columns.forEach((c, i) => {
      const text = this.fonts.shown(cells[i] ?? '')
      if (c.number && !header) this.figure(text, x, y, c)
      else doc.text(text, x, y, { width: c.width - GAP, align: c.align })
      x += c.width
    })
    doc.x = this.left
    doc.y = y + height + ROW_GAP
  }

  /** A figure on one line at the cell's baseline, its font shrunk (never grown) to fit the column. */
  private figure(text: string, x: number, y: number, c: Column): void {
    const doc = this.doc
    const room = c.width - GAP
    const size = this.fonts.size
    const width = doc.widthOfString(text)
    // Shrink a touch more than the ratio, so rounding in the font's metrics cannot overflow.
    const fit = width > room ? (size * room) / width - 0.01 : size
    doc.fontSize(fit)
    // The smaller text sits on the row's baseline, as the full-size cells beside it do (the ascent is about 0.8 em).
    const drop = (size - fit) * 0.8
    const left = c.align === 'right' ? x + room - doc.widthOfString(text) : x
    doc.text(text, left, y + drop, { lineBreak: false })
    doc.fontSize(size)
  }

  private heightOf(cells: readonly string[], columns: readonly Column[], header = false): number {
    let height = this.doc.currentLineHeight(true)
    columns.forEach((c, i) => {
      const text = this.fonts.shown(cells[i] ?? '')
      // A figure is one line high.
      if (text !== '' && !(c.number && !header)) {
        height = Math.max(height, this.doc.heightOfString(text, { width: c.width - GAP, align: c.align }))
      }
    })
    return height
  }

  private bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom
  }
}
