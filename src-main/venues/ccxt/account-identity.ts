import type { Exchange } from 'ccxt'
import type { ExchangeId } from '../../accounts/exchanges'

// Which exchange account (user) a key belongs to, read with the permissions any working key has: a new key
// for an app account must belong to the same exchange account, or its fills, orders and balances would be
// merged into another account's history (accounts/service.ts update()).
//
//   binance  GET /api/v3/account → uid (the balance request the connection test already makes)
//   okx      GET /api/v5/account/config → data[0].uid (the sub-account's own uid for a sub-account key)
//   bybit    GET /v5/user/query-api → result.userID
//   gate     GET /api/v4/account/detail → user_id
//   bitget   GET /api/v2/spot/account/info → data.userId (classic accounts; a unified (UTA) account is
//            refused there) or GET /api/v3/account/info → data.uid (unified accounts)
//   mexc     GET /api/v3/uid → uid
//   coinbase GET /api/v3/brokerage/key_permissions → portfolio_uuid: a CDP key is scoped to one portfolio,
//            and orders and fills belong to that portfolio, so the portfolio is the account
//   kraken   cannot tell: its private API names the key (GetApiKeyInfo: name, permissions), never the account

type Raw = Record<string, unknown>
type HandleUta = (params: Raw, methodName: string) => Promise<[boolean, Raw]>

/** The exchange account behind the key, as text; null where the exchange cannot tell or did not answer. */
export async function readExchangeAccount(exchange: ExchangeId, ex: Exchange, balanceInfo: Raw | null): Promise<string | null> {
  return (await lookUpExchangeAccount(exchange, ex, balanceInfo)).account
}

/**
 * As readExchangeAccount, with the error of a refused or failed request (null when the reply simply named
 * no account): a key change refused because its account is unknown says why (the caller classifies it).
 */
export async function lookUpExchangeAccount(
  exchange: ExchangeId,
  ex: Exchange,
  balanceInfo: Raw | null,
): Promise<{ account: string | null; error: unknown }> {
  try {
    return { account: await askExchangeAccount(exchange, ex, balanceInfo), error: null }
  } catch (error) {
    return { account: null, error }
  }
}

async function askExchangeAccount(exchange: ExchangeId, ex: Exchange, balanceInfo: Raw | null): Promise<string | null> {
  const api = ex as unknown as Record<string, (() => Promise<Raw>) | undefined>
  const ask = async (method: string): Promise<Raw | null> => {
    const fn = api[method]
    if (typeof fn !== 'function') return null
    const reply = await fn.call(ex)
    return reply && typeof reply === 'object' ? reply : null
  }
  switch (exchange) {
    case 'binance':
      return idText(balanceInfo?.uid ?? (await ask('privateGetAccount'))?.uid)
    case 'okx': {
      const data = (await ask('privateGetAccountConfig'))?.data
      return idText(Array.isArray(data) ? (data[0] as Raw | undefined)?.uid : undefined)
    }
    case 'bybit':
      return idText(((await ask('privateGetV5UserQueryApi'))?.result as Raw | undefined)?.userID)
    case 'gate':
      return idText((await ask('privateAccountGetDetail'))?.user_id)
    case 'bitget': {
      // A unified account is refused at the classic endpoint (its identity would stay unknown, asked again at every
      // connection); it names its uid at its own. Which kind it is: ccxt's answer, asked once per venue (bitget-uta.ts).
      const uta = typeof api.handleUTAAndParams === 'function' ? (await (api.handleUTAAndParams as unknown as HandleUta).call(ex, {}, 'fetchBalance'))[0] : false
      if (uta) return idText(((await ask('privateUtaGetV3AccountInfo'))?.data as Raw | undefined)?.uid)
      return idText(((await ask('privateSpotGetV2SpotAccountInfo'))?.data as Raw | undefined)?.userId)
    }
    case 'mexc':
      return idText((await ask('spotPrivateGetUid'))?.uid)
    case 'coinbase':
      return idText((await ask('v3PrivateGetBrokerageKeyPermissions'))?.portfolio_uuid)
    case 'kraken':
      return null
  }
}

/** A non-empty id as text (Binance and Gate send numbers); anything else is no answer. */
function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 128) return value.trim()
  return null
}
