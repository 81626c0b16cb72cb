import { AppError } from '../../api/errors'

/**
 * A file that cannot be imported as a whole. It names the line (1-based, as an editor shows it) and, where
 * one cell is at fault, the column and the value, so the user can find and fix it. BAD_INPUT for every door.
 */
export class CsvImportError extends AppError {
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: string | null = null,
    readonly value: string | null = null,
  ) {
    super('BAD_INPUT', line === null ? message : `line ${line}${column ? `, column "${column}"` : ''}: ${message}`)
    this.name = 'CsvImportError'
  }
}
