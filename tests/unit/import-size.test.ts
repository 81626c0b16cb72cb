import { describe, expect, it } from 'vitest'
import { fileTooLarge, textTooLarge } from '../../src-renderer/features/portfolio/importSize'
import type { Router } from '../../src-main/api/router'
import type { StreamHub } from '../../src-main/api/streams'
import type { CallContext } from '../../src-main/api/router'
import { ClientSession, MAX_FILE_MESSAGE_BYTES } from '../../src-main/api/session'

// The import dialog refuses, with the way out, an export the engine would refuse as too large: the
// engine measures the JSON-encoded text, which is larger than the file (CRLF → \r\n).

describe('import dialog size check', () => {
  it('refuses a CRLF export under 15 MiB on disk that is over it once encoded, as the engine would', async () => {
    const text = 'a,b,c,d\r\n'.repeat(1_700_000) // 14.6 MiB as a file, 17.8 MiB encoded
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_FILE_MESSAGE_BYTES)
    expect(fileTooLarge('trades.csv', Buffer.byteLength(text), 'generic')).toBeNull()
    expect(textTooLarge('trades.csv', text, 'generic')).toMatch(/^trades\.csv is 17\.8 MiB once encoded for the engine; the app imports files up to 15 MiB\. Use the command line/)
    // What the engine answers to the same text.
    const session = new ClientSession({ invoke: () => Promise.resolve({ ok: true, value: null }) } as unknown as Router, {} as StreamHub, {} as CallContext)
    const reply = await session.invoke('portfolio.import', { account: 'a', format: 'generic', fileName: 'trades.csv', text })
    expect(reply).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
  })

  it('lets through an export that fits once encoded', () => {
    const text = 'a,b,c,d\n'.repeat(1_000_000)
    expect(textTooLarge('trades.csv', text, 'generic')).toBeNull()
  })
})
