// fetch for calls between the services. Inside the runtime the URLs are
// http://*.plt.local and go through the runtime's mesh (the global
// dispatcher), unchanged. In standalone mode they are https: the request
// presents CLIENT_TLS_CERT_FILE and accepts only a server certificate issued
// by the project CA.
import type { Dispatcher } from 'undici'
import { loadConfig } from './config.ts'
import { createServiceDispatcher, loadClientTls } from './tls.ts'

let dispatcher: Dispatcher | undefined

// Built once per process; a missing or bad file throws a ConfigError naming it.
export function mutualTlsDispatcher (): Dispatcher {
  dispatcher ??= createServiceDispatcher(loadClientTls(loadConfig()))
  return dispatcher
}

export const serviceFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input)
  if (!url.startsWith('https:')) return fetch(input, init)
  // Node's fetch takes an undici dispatcher; its typings name a twin type.
  return fetch(input, { ...init, dispatcher: mutualTlsDispatcher() } as RequestInit)
}
