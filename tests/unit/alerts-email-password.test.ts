import { afterEach, describe, expect, it } from 'vitest'
import { emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { EmailChannel } from '../../src-main/alerts/email'
import { SecretsService } from '../../src-main/secrets/service'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { emailDraftOf, emailRemovePasswordInput, emailSaveInput, type EmailDraft } from '../../src-renderer/features/alerts/emailForm'
import { migrationsDir, tempDir } from '../support/temp-core'

// Removing the saved SMTP password: the Email form's "Remove saved password" and a cleared user name
// both drop it, and once it is gone a database whose master key the keychain lost is usable again, as
// the secrets status promises ("remove the email password on the Alerts page").

const stores: Store[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function open(dir = tempDir()) {
  const store = openStore(dir, migrationsDir)
  stores.push(store)
  return { dir, store }
}

function channel(store: Store, keychain = memoryKeychain()) {
  const secrets = new SecretsService(store.db, keychain, silentLogger)
  const email = new EmailChannel(store.db, secrets, () => 1_700_000_000_000)
  secrets.addSealedCount((m) => email.sealedCount(m))
  return { secrets, email }
}

const office: EmailDraft = { host: 'smtp.office365.com', port: '587', security: 'starttls', username: 'me@corp.com', password: 'pw-1', from: 'me@corp.com', to: 'me@corp.com' }
const formSave = (email: EmailChannel, draft: EmailDraft) => email.set(emailSettingsInputSchema.parse(emailSaveInput(draft)))

describe('removing the saved mail password', () => {
  it('"Remove saved password" deletes it and keeps the rest of the settings', async () => {
    const { email } = channel(open().store)
    const saved = await formSave(email, office)
    expect(saved.hasPassword).toBe(true)
    const after = await email.set(emailSettingsInputSchema.parse(emailRemovePasswordInput(saved)))
    expect(after).toMatchObject({ host: 'smtp.office365.com', port: 587, security: 'starttls', username: 'me@corp.com', hasPassword: false })
    // The form offers the field empty again, not "saved".
    expect(emailDraftOf(after).password).toBe('')
  })

  it('clearing the user name (same server, or a local relay) drops the saved password instead of refusing', async () => {
    const { email, secrets } = channel(open().store)
    await formSave(email, office)
    const noLogin = await formSave(email, { ...office, username: '', password: '' })
    expect(noLogin).toMatchObject({ host: 'smtp.office365.com', username: null, hasPassword: false })
    await formSave(email, office)
    const relay = await formSave(email, { ...office, host: '127.0.0.1', port: '25', security: 'none', username: '', password: '' })
    expect(relay).toMatchObject({ host: '127.0.0.1', port: 25, username: null, hasPassword: false })
    // Nothing sealed is left: the key store no longer counts it.
    expect(email.sealedCount(secrets.currentMode() ?? 'keychain')).toBe(0)
  })

  it('once the keychain lost the master key, removing the password makes credentials usable again', async () => {
    const { store } = open()
    await formSave(channel(store).email, office)
    // A new keychain (new machine, keyring reset): the master key that sealed the password is gone.
    const { secrets, email } = channel(store, memoryKeychain())
    const before = await secrets.status()
    expect(before).toMatchObject({ mode: 'unavailable', reason: expect.stringContaining('the email password on the Alerts page') })
    await expect(secrets.seal('x', 'test')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    const saved = email.view()!
    expect((await email.set(emailSettingsInputSchema.parse(emailRemovePasswordInput(saved)))).hasPassword).toBe(false)
    expect(await secrets.status()).toMatchObject({ mode: 'keychain', locked: false })
    // The password can be entered again and is used.
    expect((await formSave(email, office)).hasPassword).toBe(true)
  })
})
