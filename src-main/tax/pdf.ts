import PDFDocument from 'pdfkit'
import type { TaxIncomeLine, TaxLine, TaxReport, TaxSums } from '../api/schemas/tax'
import { dayOf, isoDay } from './calendar'
import { METHOD_NAMES, POOLING_NAMES } from './report'
import { rulesFor } from './rules'
import { groupedMoney as money, moneyText, parseMoney } from './money'
import { boxTitle, byPart, form8949Of, partTitle } from './form8949'
import { PdfTable, type Column, type TableFonts } from './pdf-table'
import { pdfFonts } from './pdf-fonts'
import { paperLeftOutText } from './paper-accounts'
import { counted } from './words'

// The report as a PDF for the file or the accountant: what was computed and how (jurisdiction, method,
// currency, zone, period), the summary with the engine's notes, the year's income, the warnings, then every
// line (disposals, then income; US disposals under Form 8949's Part I and Part II, each with its box and
// totals), in tables that repeat their header on each page (pdf-table.ts). The font is embedded
// (pdf-fonts.ts): names in any Latin, Greek or Cyrillic script show as written.

const MARGIN = 40
// A4 landscape: 762 points between the margins, for the nine columns the CSV has too.
const COLUMNS: readonly Column[] = [
  { title: 'Asset', width: 70, align: 'left' },
  { title: 'Amount', width: 116, align: 'right', number: true },
  { title: 'Acquired', width: 56, align: 'left' },
  { title: 'Disposed', width: 56, align: 'left' },
  { title: 'Proceeds', width: 78, align: 'right', number: true },
  { title: 'Cost', width: 78, align: 'right', number: true },
  { title: 'Gain', width: 78, align: 'right', number: true },
  { title: 'Rule', width: 92, align: 'left' },
  { title: 'Account', width: 138, align: 'left' },
]

/** A part's totals: the label across the first four columns, then proceeds, cost and gain under theirs. */
const TOTAL_COLUMNS: readonly Column[] = [{ title: '', width: COLUMNS.slice(0, 4).reduce((w, c) => w + c.width, 0), align: 'left' }, ...COLUMNS.slice(4, 7)]

const INCOME_COLUMNS: readonly Column[] = [
  { title: 'Asset', width: 70, align: 'left' },
  { title: 'Amount', width: 100, align: 'right', number: true },
  { title: 'Received', width: 56, align: 'left' },
  { title: 'Value', width: 90, align: 'right', number: true },
  { title: 'What', width: 250, align: 'left' },
  { title: 'Account', width: 196, align: 'left' },
]

const REGULAR = 'body'
const BOLD = 'body-bold'

export function taxPdf(report: TaxReport, lines: readonly TaxLine[], incomeLines: readonly TaxIncomeLine[] = []): Promise<Buffer> {
  const rules = rulesFor(report.jurisdiction)
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, info: { Title: `Capital gains ${report.yearLabel} (${rules.name})`, Producer: 'CryptoOrchestrator' } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const fonts = pdfFonts()
  doc.registerFont(REGULAR, fonts.regular)
  doc.registerFont(BOLD, fonts.bold)
  const FONTS: TableFonts = { regular: REGULAR, bold: BOLD, shown: fonts.shown, size: 8 }
  // The user's text (account names, memos, assets, in the notes and warnings too) as the font can show it.
  const shown = fonts.shown
  const ccy = report.currency
  const day = (t: number) => isoDay(dayOf(t, report.timeZone))

  doc.font(BOLD).fontSize(16).text(`Capital gains report ${report.yearLabel} — ${rules.name}`)
  doc.moveDown(0.3).font(REGULAR).fontSize(9).fillColor('#444')
  doc.text(`Tax year ${day(report.start)} to ${day(report.end)} (${report.timeZone}) · ${METHOD_NAMES[report.method]}, ${POOLING_NAMES[report.pooling]} · amounts in ${ccy}`)
  doc.text(shown(`Accounts: ${report.account ?? 'all of yours'} · generated ${new Date(report.generatedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC`))
  if (report.paperLeftOut.length > 0) doc.text(shown(`${paperLeftOutText(report.paperLeftOut)}.`))
  if (!coversAll(report, lines, incomeLines, fonts.covers)) {
    doc.text('Some characters could not be shown in this PDF’s font and appear as "?" (the app shows them as written).')
  }
  doc.fillColor('black').moveDown()

  // A paper account's report is practice: said first, in red, so that no one files it.
  if (report.paperAccount) doc.font(BOLD).fontSize(10).fillColor('#b00020').text('Paper account: practice trades, not for a tax return.').fillColor('black').moveDown(0.5)
  if (report.summary.incomplete) doc.font(BOLD).fontSize(10).fillColor('#b00020').text(shown(report.summary.incomplete)).fillColor('black').moveDown(0.5)
  doc.font(BOLD).fontSize(11).text('Summary').font(REGULAR).fontSize(9).moveDown(0.3)
  const sums = (label: string, s: TaxSums) => doc.text(`${label}: ${counted(s.disposals, 'disposal')} · proceeds ${money(s.proceeds)} · cost ${money(s.cost)} · gain ${money(s.gain)} ${ccy}`)
  sums('All', report.summary.all)
  const de = report.jurisdiction === 'de'
  if (report.summary.short) sums('Short term (held one year or less)', report.summary.short)
  // Germany: sales held over a year are tax-free; gains, losses and net are the private sales' (report.ts).
  if (report.summary.long) sums(de ? 'Over a year (tax-free)' : 'Long term (held more than one year)', report.summary.long)
  const figures = `${money(report.summary.gains)} · losses ${money(report.summary.losses)} · net ${money(report.summary.net)} ${ccy}`
  doc.text(de ? `Private sales (held up to one year): gains ${figures}` : `Gains ${figures}`)
  if (report.summary.allowance) doc.text(`${report.summary.allowance.label}: ${money(report.summary.allowance.amount)} ${ccy}`)
  const carry = (label: string, c: NonNullable<typeof report.summary.carriedIn>) =>
    doc.text(`${label}: ${money(c.total)} ${ccy}${c.short !== null && c.long !== null ? ` (short term ${money(c.short)}, long term ${money(c.long)})` : ''}`)
  if (report.summary.carriedIn) carry('Losses brought in from earlier years', report.summary.carriedIn)
  if (report.summary.deductible !== null && report.summary.deductible !== '0.00') doc.text(`Offsets other income this year: ${money(report.summary.deductible)} ${ccy}`)
  if (report.summary.carriedOut) carry('Losses carried to the next year', report.summary.carriedOut)
  doc.font(BOLD).text(`Taxable gain: ${money(report.summary.taxable)} ${ccy}`).font(REGULAR)
  doc.moveDown(0.5).fillColor('#444')
  for (const note of report.summary.notes) doc.text(shown(`• ${note}`))
  doc.fillColor('black')
  const income = report.income
  if (income.count > 0) {
    doc.moveDown().font(BOLD).fontSize(11).text('Income').font(REGULAR).fontSize(9).moveDown(0.3)
    doc.text(`Received: ${counted(income.count, 'time')} · ${money(income.total)} ${ccy}`)
    if (income.allowance) doc.text(`${income.allowance.label}: ${money(income.allowance.amount)} ${ccy}`)
    doc.font(BOLD).text(`Taxable income: ${money(income.taxable)} ${ccy}`).font(REGULAR)
    doc.moveDown(0.5).fillColor('#444')
    for (const note of income.notes) doc.text(shown(`• ${note}`))
    doc.fillColor('black')
  }

  if (report.warnings.length > 0) {
    doc.moveDown().font(BOLD).fontSize(11).text('Warnings').font(REGULAR).fontSize(9).moveDown(0.3)
    for (const w of report.warnings) doc.text(shown(`• ${w.asset} (${w.account}, from ${day(w.timestamp)}${w.count ? `, ${counted(w.count, 'time')}` : ''}): ${w.message}`))
  }

  // A table's title starts a new page rather than sit alone at the foot of one.
  const keepRoom = () => {
    if (doc.y + 60 > doc.page.height - MARGIN) doc.addPage()
  }
  keepRoom()
  doc.moveDown().font(BOLD).fontSize(11).text(`Disposals (${counted(lines.length, 'line')})`).fontSize(8).moveDown(0.3)
  const table = new PdfTable(doc, COLUMNS, COLUMNS.map((c) => (['Proceeds', 'Cost', 'Gain'].includes(c.title) ? `${c.title} ${ccy}` : c.title)), FONTS, MARGIN)
  const lineRow = (l: TaxLine) => {
    const acquired = l.acquiredAt !== null ? day(l.acquiredAt) : l.rule === 'section-104' ? 'pool' : 'unknown'
    const rule = `${l.rule}${l.term ? ` · ${l.term}` : ''}${l.cause === 'fee' ? ' · fee' : ''}${l.unpriced ? ' · no price' : ''}`
    table.row([l.asset, l.amount, acquired, day(l.disposedAt), money(l.proceeds), money(l.cost), money(l.gain), rule, l.account])
  }
  if (report.jurisdiction === 'us') {
    // Form 8949: each part's lines under its box, then the part's totals (what goes on its line 2).
    for (const { part, lines: inPart } of byPart(lines)) {
      const { box } = form8949Of(report.year, part === 'I' ? 'short' : 'long')
      keepRoom()
      doc.moveDown(0.5).font(BOLD).fontSize(10).text(partTitle(part), MARGIN)
      doc.font(REGULAR).fontSize(8).text(boxTitle(box), MARGIN).moveDown(0.3)
      table.header()
      let proceeds = 0n
      let cost = 0n
      for (const l of inPart) {
        lineRow(l)
        proceeds += parseMoney(l.proceeds)
        cost += parseMoney(l.cost)
      }
      const label = `Part ${part} totals (${counted(inPart.length, 'line')})`
      table.row([label, money(moneyText(proceeds)), money(moneyText(cost)), money(moneyText(proceeds - cost))], true, TOTAL_COLUMNS)
    }
  } else {
    table.header()
    for (const l of lines) lineRow(l)
  }
  if (incomeLines.length > 0) {
    keepRoom()
    doc.moveDown().font(BOLD).fontSize(11).text(`Income received (${counted(incomeLines.length, 'line')})`, MARGIN).fontSize(8).moveDown(0.3)
    const incomeTable = new PdfTable(doc, INCOME_COLUMNS, INCOME_COLUMNS.map((c) => (c.title === 'Value' ? `Value ${ccy}` : c.title)), FONTS, MARGIN)
    incomeTable.header()
    for (const l of incomeLines) incomeTable.row([l.asset, l.amount, day(l.receivedAt), money(l.value), l.what ?? '', l.account])
  }
  doc.end()
  return done
}

/** Whether the font shows all of the user's text in the report (each distinct name checked once). */
function coversAll(report: TaxReport, lines: readonly TaxLine[], incomeLines: readonly TaxIncomeLine[], covers: (text: string) => boolean): boolean {
  const texts = new Set<string>([report.account ?? '', report.summary.incomplete ?? '', ...report.summary.notes, ...report.income.notes, ...report.paperLeftOut.map((p) => p.label)])
  for (const w of report.warnings) texts.add(w.asset).add(w.account).add(w.message)
  for (const l of lines) texts.add(l.asset).add(l.account)
  for (const l of incomeLines) texts.add(l.asset).add(l.account).add(l.what ?? '')
  for (const text of texts) if (!covers(text)) return false
  return true
}
