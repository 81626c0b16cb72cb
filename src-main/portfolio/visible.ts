// Entries of an import still being written (state 'pending', see ledger_imports.state) are not part of the
// ledger yet: every reader of ledger_entries adds this condition, so a large file appears all at once when
// its last chunk commits, and a failed or interrupted one never appears at all. The subquery runs once per
// statement (not per row); with no import pending it is empty and costs next to nothing.

/** SQL condition on a ledger_entries row (optionally through a table alias): not an entry of a pending import. */
export function visibleEntry(alias = ''): string {
  const col = alias === '' ? 'import_id' : `${alias}.import_id`
  return `(${col} is null or ${col} not in (select id from ledger_imports where state = 'pending'))`
}

/** The same for a ledger_imports row: a complete import (the listing, taking one back out). */
export const COMPLETE_IMPORT = "state = 'complete'"
