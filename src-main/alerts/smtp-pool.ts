import nodemailer, { type Transporter } from 'nodemailer'
import type { MailConfig, MailSend } from './email'

// One pooled SMTP transport shared by every alert email, so a burst of alerts goes over one or two
// connections instead of one each (servers answer "421 too many connections"). It is rebuilt when the
// settings change (the old one still sends what was queued on it, then closes) and closed when the engine stops.

// One: alert emails are few, and personal mail servers limit connections per login.
const MAX_CONNECTIONS = 1

/**
 * How long a silent server is waited for. RFC 5321 4.5.3.2.6 asks 10 minutes for the answer to the
 * message (servers scan it before saying 250); a few minutes leaves slow servers their time without
 * holding an alert for ever.
 */
export const ANSWER_TIMEOUT_MS = 5 * 60_000

/** Set on a send's error when the message itself had gone to the server: it may have been delivered. */
export interface AfterDataError {
  afterData?: boolean
}

// A field of our own in the mail's data (nodemailer keeps unknown ones): the per-message callback that tells the message is being sent (see send()).
const ON_DATA = 'coOnData'

interface Pooled {
  key: string
  transport: Transporter
  /** Messages handed to it and not yet answered. */
  sending: number
}

export class SmtpPool {
  private current: Pooled | null = null
  /** Transports of earlier settings still sending what was queued on them: each closes once it is done. */
  private readonly retired = new Set<Pooled>()

  constructor(private readonly answerTimeoutMs = ANSWER_TIMEOUT_MS) {}

  readonly send: MailSend = async (c, message) => {
    // A timeout or a dropped connection says "CONN" whatever the stage; what tells whether the message
    // had gone is whether nodemailer started writing it out, which it does only after DATA's 354.
    let dataStarted = false
    const pooled = this.pooledFor(c)
    pooled.sending++
    try {
      const mail = { from: c.from, to: c.to, subject: message.subject, text: message.text, [ON_DATA]: () => (dataStarted = true) }
      const info = (await pooled.transport.sendMail(mail)) as { response: string }
      return info.response
    } catch (err) {
      if (dataStarted && err instanceof Error && (err as { responseCode?: unknown }).responseCode === undefined) (err as AfterDataError).afterData = true
      throw err
    } finally {
      pooled.sending--
      if (pooled.sending === 0 && this.retired.delete(pooled)) pooled.transport.close()
    }
  }

  /** Closes every connection now (the engine stops): messages still queued fail. */
  close(): void {
    for (const pooled of this.retired) pooled.transport.close()
    this.retired.clear()
    this.current?.transport.close()
    this.current = null
  }

  private pooledFor(c: MailConfig): Pooled {
    // The password is part of the key: a new one (or a removed one) means a new login.
    const key = JSON.stringify([c.host, c.port, c.security, c.username, c.password])
    if (this.current?.key === key) return this.current
    // New settings: the old transport finishes what is queued on it (closing it now would fail those
    // alerts' emails with "Connection pool was closed"), then closes.
    const old = this.current
    if (old !== null) {
      if (old.sending === 0) old.transport.close()
      else this.retired.add(old)
    }
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      host: c.host,
      port: c.port,
      secure: c.security === 'tls',
      requireTLS: c.security === 'starttls',
      ignoreTLS: c.security === 'none',
      auth: c.username ? { user: c.username, pass: c.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: this.answerTimeoutMs,
    })
    // The message stream is piped to the connection only once the envelope is through (DATA answered 354,
    // or refused with a code): the first pipe marks the message as sent.
    transport.use('stream', (mail, done) => {
      const onData = (mail.data as Record<string, unknown>)[ON_DATA]
      const msg = mail.message
      if (typeof onData === 'function') {
        const create = msg.createReadStream.bind(msg)
        msg.createReadStream = (...args: Parameters<typeof msg.createReadStream>) => {
          const stream = create(...args)
          const pipe = stream.pipe.bind(stream)
          stream.pipe = ((dest: NodeJS.WritableStream, opts?: { end?: boolean }) => {
            ;(onData as () => void)()
            return pipe(dest, opts)
          }) as typeof stream.pipe
          return stream
        }
      }
      done()
    })
    this.current = { key, transport, sending: 0 }
    return this.current
  }
}
