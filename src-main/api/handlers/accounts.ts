import type { HandlerSlice } from '../router'
import type { AccountsService } from '../../accounts/service'
import type { SecretsService } from '../../secrets/service'
import type { AccountRemoval } from '../../accounts/removal'
import type { VenueRegistry } from '../../venues/registry'

export function accountsHandlers(
  accounts: AccountsService,
  secrets: SecretsService,
  removal: Pick<AccountRemoval, 'impact'>,
  venues: Pick<VenueRegistry, 'reconnect'>,
): HandlerSlice<
  | 'exchanges.list'
  | 'accounts.list'
  | 'accounts.add'
  | 'accounts.update'
  | 'accounts.remove'
  | 'accounts.test'
  | 'accounts.removalImpact'
  | 'accounts.reconnect'
  | 'secrets.status'
  | 'secrets.usePassphrase'
  | 'secrets.unlock'
  | 'secrets.resetMasterKey'
> {
  return {
    'exchanges.list': () => accounts.exchanges(),
    'accounts.list': () => accounts.list(),
    'accounts.add': (input) => accounts.add(input),
    'accounts.update': (input) => accounts.update(input),
    'accounts.remove': ({ id }) => accounts.remove(id),
    'accounts.test': ({ id }) => accounts.test(id),
    'accounts.removalImpact': ({ id }) => removal.impact(id),
    'accounts.reconnect': ({ id }) => venues.reconnect(id),
    'secrets.status': () => secrets.status(),
    'secrets.usePassphrase': ({ passphrase }) => secrets.usePassphrase(passphrase),
    'secrets.unlock': ({ passphrase }) => secrets.unlock(passphrase),
    'secrets.resetMasterKey': () => secrets.resetMasterKey(),
  }
}
