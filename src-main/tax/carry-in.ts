import { eq } from 'drizzle-orm'
import type { TaxCarryIn, TaxCarryInInput, Jurisdiction } from '../api/schemas/tax'
import type { Db } from '../store/open'
import { sqliteOf, type LedgerDb } from '../portfolio/sqlite'
import { moneyText, parseMoney } from './money'
import { taxCarryIn } from './tables'

// Losses carried in from before the ledger, as the user's last tax return states them (one entry per
// jurisdiction). The report reads them on whichever thread builds it (readCarryIn takes any connection,
// the report worker's read-only one included); only the engine's thread writes them.

export type CarryInRow = typeof taxCarryIn.$inferSelect

/** A stored entry as the contract shows it; amounts to the cent. */
export function carryInView(row: CarryInRow): TaxCarryIn {
  const first = parseMoney(row.amount)
  const long = row.longTerm === null ? null : parseMoney(row.longTerm)
  return {
    jurisdiction: row.jurisdiction as Jurisdiction,
    year: row.year,
    amount: moneyText(first + (long ?? 0n)),
    shortTerm: long === null ? null : moneyText(first),
    longTerm: long === null ? null : moneyText(long),
    updatedAt: row.updatedAt,
  }
}

export function readCarryIn(db: LedgerDb, jurisdiction: Jurisdiction): CarryInRow | null {
  const row = sqliteOf(db)
    .prepare('SELECT jurisdiction, year, amount, long_term AS longTerm, updated_at AS updatedAt FROM tax_carry_in WHERE jurisdiction = ?')
    .get(jurisdiction) as CarryInRow | undefined
  return row ?? null
}

export class CarryInStore {
  constructor(private readonly db: Db) {}

  list(): TaxCarryIn[] {
    return this.db.select().from(taxCarryIn).orderBy(taxCarryIn.jurisdiction).all().map(carryInView)
  }

  /** Writes (or replaces) the jurisdiction's entry; the input is the contract's, already checked. */
  set(input: TaxCarryInInput, now: number): TaxCarryIn {
    const cents = (text: string) => moneyText(parseMoney(text.trim()))
    const row: CarryInRow =
      input.jurisdiction === 'us'
        ? { jurisdiction: 'us', year: input.year, amount: cents(input.shortTerm), longTerm: cents(input.longTerm), updatedAt: now }
        : { jurisdiction: input.jurisdiction, year: input.year, amount: cents(input.amount), longTerm: null, updatedAt: now }
    this.db
      .insert(taxCarryIn)
      .values(row)
      .onConflictDoUpdate({ target: taxCarryIn.jurisdiction, set: { year: row.year, amount: row.amount, longTerm: row.longTerm, updatedAt: now } })
      .run()
    return carryInView(row)
  }

  clear(jurisdiction: Jurisdiction): boolean {
    return this.db.delete(taxCarryIn).where(eq(taxCarryIn.jurisdiction, jurisdiction)).run().changes > 0
  }
}
