import type { Runtime } from '../../launcher/system.ts'

// Calls one application of the runtime directly, past the gateway.
export function injector (runtime: Runtime, application: string, headers: Record<string, string> = {}) {
  return async (method: string, url: string, body?: unknown) => {
    const response = await runtime.inject(application, {
      method,
      url,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined, raw: response.body }
  }
}
