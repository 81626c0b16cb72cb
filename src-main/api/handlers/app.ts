import type { HandlerSlice } from '../router'
import type { AppInfo } from '../contract'

export function appHandlers(info: () => AppInfo): HandlerSlice<'app.info'> {
  return { 'app.info': () => info() }
}
