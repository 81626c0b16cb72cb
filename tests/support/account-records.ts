import type Database from 'better-sqlite3'

// What the accounts module has recorded as an account's exchange account (uid; Coinbase: portfolio), per
// environment: the live exchange or the test network, at the exchange's own API or a custom base URL.

export interface RecordedWhere {
  sandbox?: boolean
  apiBaseUrl?: string | null
}

/** The exchange account recorded for the account in that environment (default: live, the exchange's own API); null if none. */
export function recordedExchangeAccount(sqlite: Database.Database, accountId: string, where: RecordedWhere = {}): string | null {
  const row = sqlite
    .prepare('SELECT exchange_account FROM account_exchange_accounts WHERE account_id = ? AND sandbox = ? AND api_base_url = ?')
    .get(accountId, where.sandbox ? 1 : 0, where.apiBaseUrl ?? '') as { exchange_account: string } | undefined
  return row?.exchange_account ?? null
}
