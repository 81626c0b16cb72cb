import { describe, expect, it } from 'vitest'
import { chooseFormat, choiceForFile, initialChoice } from '../../src-renderer/features/portfolio/importChoice'

// The import dialog's guesses as files are picked one after another (binance-2023.csv, then a Kraken
// export): each file's own name and format, never over what the user typed or chose.

const GENERIC = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n'
const KRAKEN = '"txid","ordertxid","pair","time","type"\n'
const UNKNOWN = 'when,what,how much\n'

describe('import dialog choices', () => {
  it('replaces the previous file’s name and format with the next file’s', () => {
    const first = choiceForFile(initialChoice, 'binance-2023.csv', GENERIC)
    expect(first).toMatchObject({ account: 'import:binance-2023', format: 'generic' })
    const second = choiceForFile(first, 'kraken-2024.csv', KRAKEN)
    expect(second).toMatchObject({ account: 'import:kraken-2024', format: 'kraken' })
    // A header it does not know: the user's own format (none picked: generic), not the last file's guess.
    expect(choiceForFile(second, 'notes.csv', UNKNOWN)).toMatchObject({ account: 'import:notes', format: 'generic' })
  })

  it('keeps a name the user typed and a format the user picked', () => {
    const typed = { ...choiceForFile(initialChoice, 'binance-2023.csv', GENERIC), account: 'My Binance' }
    const picked = chooseFormat(typed, 'binance')
    expect(choiceForFile(picked, 'kraken-2024.csv', KRAKEN)).toMatchObject({ account: 'My Binance', format: 'kraken' })
    expect(choiceForFile(picked, 'notes.csv', UNKNOWN)).toMatchObject({ account: 'My Binance', format: 'binance' })
    // A field emptied by the user takes the next file's name again.
    expect(choiceForFile({ ...picked, account: '  ' }, 'kraken-2024.csv', KRAKEN).account).toBe('import:kraken-2024')
  })
})
