import type { ServerResponse } from 'node:http'
import type { FaultKnobs, InjectedResponse } from './faults'
import { sendText, type JsonSender } from './http'

// The start of every REST request on a local exchange server: wait out the REST delay knob, then answer with
// a pending respondWith fault if one matches the path (a string body as text/html, anything else as JSON).

export async function answerInjected(
  faults: FaultKnobs<unknown>,
  path: string,
  res: ServerResponse,
  sendJson: JsonSender,
): Promise<InjectedResponse | undefined> {
  if (faults.restDelayMs > 0) await new Promise((r) => setTimeout(r, faults.restDelayMs))
  const injected = faults.takeResponse(path)
  if (injected === undefined) return undefined
  if (typeof injected.body === 'string') sendText(res, injected.status, injected.body, injected.headers)
  else sendJson(res, injected.status, injected.body, injected.headers)
  return injected
}

/** The exchange code an injected JSON body carries, if it has one of the expected type. */
export function injectedCode(injected: InjectedResponse): unknown {
  return typeof injected.body === 'string' ? undefined : (injected.body as { code?: unknown } | null)?.code
}
