// Which assets are money rather than positions — fiat currencies and stablecoins — in one place, so an
// import, the copier, the simulator and the leaderboard's trade count agree (FDUSD or DAI paid for a buy
// is money spent everywhere, not a position in one place and money in another).

/** Stablecoins pegged one-to-one to the US dollar. */
const DOLLAR_STABLECOINS = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'DAI', 'USDP', 'PYUSD'] as const
/** Stablecoins pegged one-to-one to the euro. */
const EURO_STABLECOINS = ['EURC', 'EURT'] as const
const FIAT = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY'] as const

/** US dollars and the dollar stablecoins: a market quoted in one is quoted in dollars, taken at par. */
export const DOLLARS: ReadonlySet<string> = new Set<string>(['USD', ...DOLLAR_STABLECOINS])

/** Money: the fiat currencies and every stablecoin (dollar or euro). */
export const MONEY: ReadonlySet<string> = new Set<string>([...FIAT, ...DOLLAR_STABLECOINS, ...EURO_STABLECOINS])
