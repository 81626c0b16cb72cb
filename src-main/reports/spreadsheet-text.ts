// Text a spreadsheet would run as a formula (= + - @, a tab or CR at the start) is written with a leading
// apostrophe, so a CSV export opened in Excel or LibreOffice shows it instead of running it.
export function spreadsheetSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}
