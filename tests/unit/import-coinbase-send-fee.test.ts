import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { importError } from '../support/import-fixtures'

// A Coinbase Send's Fees column is the network fee in the spot currency, but the fee itself left in the
// coin sent: the ledger must take that coin out, not book a USD payment that never happened.
const HEADER =
  'ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes'
const BUY = 'b1,2024-03-01 10:00:00 UTC,Buy,ETH,1,USD,"$2,000.00","$2,000.00","$2,010.00",$10.00,Bought 1 ETH for 2010 USD'
const file = (send: string) => `Transactions\nUser,Jane,x\n${HEADER}\n${BUY}\n${send}\n`

function holdings(text: string) {
  const { entries, marks } = parseExport('coinbase', text, { account: 'cb' })
  const result = computePortfolio({ entries, marks: marks ?? [], reportingCurrency: 'USD', at: Date.parse('2024-04-01T00:00:00Z') })
  const of = (asset: string) => result.positions.find((p) => p.asset === asset)
  return { entries, eth: of('ETH'), usd: of('USD') }
}

describe('Coinbase Send: the network fee leaves in the coin sent', () => {
  it('fee on top of the quantity (Total = Subtotal + Fees): 0.5 ETH sent and $6 ÷ $2,400 = 0.0025 ETH fee leave', () => {
    const { entries, eth, usd } = holdings(file('s1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$2,400.00","$1,200.00","$1,206.00",$6.00,Sent 0.5 ETH to an external account'))
    expect(entries[1]).toMatchObject({ kind: 'withdrawal', asset: 'ETH', amount: '0.5', fee: { asset: 'ETH', amount: '0.0025' } })
    // 1 − 0.5 − 0.0025, at the lot's 2,010 per ETH.
    expect(eth).toMatchObject({ amount: '0.4975', costBasis: '999.975' })
    // Only the buy's $2,010 left in USD: no $6 fee payment.
    expect(usd?.amount).toBe('-2010')
  })

  it('fee inside the quantity (Total = Subtotal): what left is the quantity, of which the fee', () => {
    const { entries, eth, usd } = holdings(file('s1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$2,400.00","$1,200.00","$1,200.00",$6.00,Sent 0.4975 ETH'))
    expect(entries[1]).toMatchObject({ kind: 'withdrawal', asset: 'ETH', amount: '0.4975', fee: { asset: 'ETH', amount: '0.0025' } })
    expect(eth).toMatchObject({ amount: '0.5', costBasis: '1005' })
    expect(usd?.amount).toBe('-2010')
  })

  it('a fee of a dollar is told apart from the total written to the cent (Total = Subtotal: inside)', () => {
    const { entries, eth } = holdings(file('s1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$2,400.00","$1,200.00","$1,200.00",$1.20,'))
    expect(entries[1]).toMatchObject({ kind: 'withdrawal', amount: '0.4995', fee: { asset: 'ETH', amount: '0.0005' } })
    expect(eth?.amount).toBe('0.5')
  })

  it('a fee with no finite quotient is rounded to the ledger’s 18 places', () => {
    const { entries } = holdings(file('s1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$3,000.00","$1,500.00","$1,501.00",$1.00,'))
    expect(entries[1]).toMatchObject({ amount: '0.5', fee: { asset: 'ETH', amount: '0.000333333333333333' } })
  })

  it('refuses a Send whose Total fits neither reading, naming the line and the column', () => {
    expect(importError('coinbase', file('s1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$2,400.00","$1,200.00","$1,250.00",$6.00,'))).toMatchObject({
      line: 5, column: 'Total (inclusive of fees and/or spread)', message: expect.stringContaining('network fee'),
    })
  })

  it('a fiat Withdrawal keeps its fee in its own currency', () => {
    const { entries } = holdings(file('w1,2024-03-02 10:00:00 UTC,Withdrawal,USD,-200,USD,$1.00,$200.00,$200.00,$1.00,'))
    expect(entries[1]).toMatchObject({ kind: 'withdrawal', asset: 'USD', amount: '200', fee: { asset: 'USD', amount: '1' } })
  })
})
