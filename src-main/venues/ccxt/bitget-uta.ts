import { AuthenticationError, NetworkError, type Exchange } from 'ccxt'

// Bitget has two kinds of account, classic and unified (UTA), with different endpoints. ccxt finds out which
// once, by asking GET /api/v3/account/settings, and keeps the answer in options.uta; but it takes ANY
// failure of that request as "classic", so one timeout or 429 would pin a unified account to the classic
// endpoints for the life of the account object. Here only an answer from Bitget refusing the request
// (a classic account's) is kept; a request that did not get through (network, rate limit) or a refused key
// fails the call it came with and is asked again by the next one.

type Raw = Record<string, unknown>
type HandleUta = (params: Raw, methodName: string, defaultValue?: boolean) => Promise<[boolean, Raw]>

export function installBitgetUtaProbe(ex: Exchange): void {
  const target = ex as unknown as {
    handleUTAAndParams: HandleUta
    handleOptionAndParams(params: Raw, methodName: string, option: string): [unknown, Raw]
    checkRequiredCredentials(error: boolean): boolean
    privateUtaGetV3AccountSettings(params?: Raw): Promise<unknown>
    options: Raw
  }
  target.handleUTAAndParams = async (params, methodName, defaultValue = false) => {
    const [uta, rest] = target.handleOptionAndParams(params, methodName, 'uta')
    if (uta !== undefined) return [uta as boolean, rest]
    if (!target.checkRequiredCredentials(false)) return [defaultValue, rest]
    try {
      await target.privateUtaGetV3AccountSettings()
      target.options.uta = true
      return [true, rest]
    } catch (err) {
      if (err instanceof NetworkError || err instanceof AuthenticationError) throw err
      target.options.uta = false
      return [false, rest]
    }
  }
}
