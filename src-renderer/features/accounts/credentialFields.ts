import type { SplitMessage } from '../../ui/engineMessage'

// What the account form does with pasted credentials after the engine refused it. Pure (no DOM), so it is
// tested in Node.

export const CREDENTIAL_FIELDS = ['credentials.apiKey', 'credentials.secret', 'credentials.password'] as const
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number]

/**
 * The credential inputs to empty after a refusal: those the engine found wrong (to be pasted again). The
 * others keep what was pasted, so fixing a name or URL does not mean fetching every key again.
 */
export function credentialsToClear(refusal: SplitMessage): CredentialField[] {
  return CREDENTIAL_FIELDS.filter((field) => refusal.fields[field] !== undefined)
}
