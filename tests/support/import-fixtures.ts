import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { CsvImportError, parseExport, type ImportFormat } from '../../src-main/portfolio/import'

export const csvFixtureDir = path.join(__dirname, '..', 'fixtures', 'csv')
export const csvFixture = (name: string) => path.join(csvFixtureDir, name)
export const readCsvFixture = (name: string) => fs.readFileSync(csvFixture(name), 'utf8')

/** Parses and expects a CsvImportError; returns it for further checks on line, column and message. */
export function importError(format: ImportFormat, text: string): CsvImportError {
  try {
    parseExport(format, text, { account: 'test' })
  } catch (err) {
    expect(err).toBeInstanceOf(CsvImportError)
    return err as CsvImportError
  }
  throw new Error('expected the file to be rejected')
}
