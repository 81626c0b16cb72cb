import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'

// Pairs ending in …AEUR: ADAEUR is ADA/EUR, not AD/AEUR (AEUR is also a Binance quote asset).
const parse = (text: string) => parseExport('binance', text, { account: 'eu' })
const pairs = (text: string) => parse(text).entries.map((e) => e.kind === 'trade' && `${e.base}/${e.quote}`)
const FEE_COIN = 'Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin'
const SUFFIXED = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee'

describe('Binance pairs whose name fits two quote assets', () => {
  it('takes the base from the Executed suffix in the suffixed layout', () => {
    const text = `${SUFFIXED}\n2024-01-02 09:00:00,ADAEUR,BUY,0.5500,1000.0ADA,550.00000000EUR,1.00000000ADA\n2024-01-03 09:00:00,BTCAEUR,BUY,40000,0.1BTC,4000AEUR,0.0001BTC\n`
    expect(pairs(text)).toEqual(['ADA/EUR', 'BTC/AEUR'])
  })

  it('prefers the split that names the Fee Coin in the fee-coin layout', () => {
    const text = `${FEE_COIN}\n2024-01-02 09:00:00,ADAEUR,BUY,0.55,1000,550,1,ADA\n2024-01-03 09:00:00,LUNAEUR,BUY,70,10,700,0.01,LUNA\n2024-01-04 09:00:00,THETAEUR,SELL,1.2,100,120,0.1,EUR\n2024-01-05 09:00:00,ETHAEUR,BUY,2000,1,2000,0.001,ETH\n`
    expect(pairs(text)).toEqual(['ADA/EUR', 'LUNA/EUR', 'THETA/EUR', 'ETH/AEUR'])
  })

  it('reads known ambiguous pairs correctly when the fee coin names neither side', () => {
    const text = `${FEE_COIN}\n2024-01-02 09:00:00,ADAEUR,BUY,0.55,1000,550,0.001,BNB\n2024-01-03 09:00:00,THETAEUR,BUY,1.2,100,120,0.001,BNB\n2024-01-04 09:00:00,BTCAEUR,BUY,40000,1,40000,0.001,BNB\n`
    expect(pairs(text)).toEqual(['ADA/EUR', 'THETA/EUR', 'BTC/AEUR'])
  })
})
