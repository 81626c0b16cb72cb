import type { contractCalls } from './contract-calls'
import type { RiskLimits, RiskView } from '../../src-main/api/contract'

type Ok = ReturnType<typeof contractCalls>['ok']

/** risk.set through the contract from the limits' current version, as a window that has just loaded them. */
export async function saveRiskLimits(ok: Ok, limits: RiskLimits): Promise<RiskView> {
  const { version } = (await ok('risk.get', {})) as RiskView
  return (await ok('risk.set', { ...limits, expectedVersion: version })) as RiskView
}
