import type { AccountTestResult, AccountView, ExchangeInfo } from '../../../src-main/api/contract'

// Words for what the engine reports about accounts. Pure (no DOM), so it is tested in Node.

export type Tone = 'ok' | 'warn' | 'err' | 'muted'
export type FailureKind = NonNullable<AccountTestResult['kind']>

/** The failure kinds of a connection test, as a user reads them. */
export const failureLabels: Record<FailureKind, string> = {
  'invalid-key': 'Invalid API key',
  'invalid-signature': 'Invalid signature',
  'permission-denied': 'Missing permission',
  'ip-not-allowed': 'IP not whitelisted',
  unreachable: 'Exchange unreachable',
  'rate-limited': 'Rate limited',
  'insufficient-funds': 'Insufficient funds',
  'invalid-order': 'Order refused',
  'order-not-found': 'Order not found',
  'cancel-pending': 'Cancel already under way',
  'order-busy': 'Order busy on the exchange',
  'bad-reply': 'Unexpected reply',
  unknown: 'Failed',
}

/** What the key may do, as far as the last good test told: can trade, read-only, or unknown. */
export function tradeBadge(canTrade: boolean | null): { text: string; tone: Tone } {
  if (canTrade === true) return { text: 'can trade', tone: 'ok' }
  if (canTrade === false) return { text: 'read-only', tone: 'warn' }
  return { text: 'unknown', tone: 'muted' }
}

type Test = NonNullable<AccountView['lastTest']>

/** A test's outcome in a word or two: 'OK', or its failure kind. */
export function testOutcome(test: Pick<Test, 'ok' | 'kind'>): { text: string; tone: Tone } {
  if (test.ok) return { text: 'OK', tone: 'ok' }
  return { text: test.kind ? failureLabels[test.kind] : 'Failed', tone: 'err' }
}

/** The facts of a good test: '42 ms · 2 balances'. */
export function testFacts(test: Pick<Test, 'latencyMs' | 'balanceCount'>): string {
  return `${test.latencyMs} ms · ${test.balanceCount} ${test.balanceCount === 1 ? 'balance' : 'balances'}`
}

/** Which credentials an exchange wants: 'API key and secret' or 'API key, secret and passphrase'. */
export function credentialsNeeded(exchange: Pick<ExchangeInfo, 'needsPassword'>): string {
  return exchange.needsPassword ? 'API key, secret and passphrase' : 'API key and secret'
}
