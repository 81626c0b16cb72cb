import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError } from '../support/import-fixtures'

// A file re-saved by a spreadsheet in a decimal-comma locale: "0,125" is 0.125, never 125.
const FEE_COIN = 'Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin'
const SUFFIXED = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee'
const COINBASE =
  'Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency,Spot Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes'

describe('decimal commas are not read as thousands separators', () => {
  it('refuses "0,125" as an amount instead of reading 125', () => {
    const err = importError('binance', `${FEE_COIN}\n2024-01-02 09:00:00,BTCUSDT,BUY,42000,"0,125",5250,"5,250",USDT\n`)
    expect(err).toMatchObject({ line: 2, column: 'Amount', value: '0,125' })
  })

  it('refuses a Binance row whose price x amount is not its Total, naming both values', () => {
    const err = importError('binance', `${SUFFIXED}\n2024-01-02 09:00:00,ETHUSDT,BUY,2400,"1,500ETH","3600USDT","0,001ETH"\n`)
    expect(err).toMatchObject({ line: 2, column: 'Amount' })
    expect(err.message).toContain('3600')
    expect(err.message).toContain('3600000')
    const fee = importError('binance', `${FEE_COIN}\n2024-01-02 09:00:00,ETHUSDT,BUY,2400,"1,500",3600,0,USDT\n`)
    expect(fee).toMatchObject({ line: 2, column: 'Total' })
  })

  it('still reads real thousands separators and totals that agree within rounding', () => {
    const result = parseExport('binance', `${FEE_COIN}\n2024-01-02 09:00:00,BTCUSDT,BUY,"42,000.5",0.12345678,"5,185.24",0,USDT\n`, { account: 'a' })
    expect(result.entries[0]).toMatchObject({ price: '42000.5', amount: '0.12345678' })
  })

  it('refuses a Coinbase trade whose price x quantity is not its Subtotal', () => {
    const err = importError('coinbase', `${COINBASE}\n2024-01-16T11:00:00Z,Buy,BTC,"1,500",USD,42000,63,65,2,\n`)
    expect(err).toMatchObject({ line: 2, column: 'Subtotal' })
    expect(err.message).toContain('63')
  })
})

describe('a file separated by semicolons', () => {
  it('is refused with a message naming the separator', () => {
    const err = importError('binance', '\uFEFFDate(UTC);Pair;Side;Price;Executed;Amount;Fee\n2024-01-02 09:00:00;BTCUSDT;BUY;40000,00;0,50000000BTC;20000,00000000USDT;0,00050000BTC\n')
    expect(err.line).toBe(1)
    expect(err.message).toContain('separated by ";"')
    expect(err.message).toContain('","')
  })
})
