// Calls the public API of a running system as a client would, with dev tokens.
export interface ApiResponse {
  status: number
  headers: Headers
  body: any
  text: string
}

export function apiClient (baseUrl: string) {
  const tokens = new Map<string, string>()

  async function token (scopes: string[], sub = 'student-1'): Promise<string> {
    const key = `${sub} ${scopes.join(' ')}`
    if (!tokens.has(key)) {
      const response = await fetch(`${baseUrl}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scopes, sub })
      })
      if (!response.ok) throw new Error(`dev token: ${response.status} ${await response.text()}`)
      tokens.set(key, ((await response.json()) as { access_token: string }).access_token)
    }
    return tokens.get(key)!
  }

  async function call (method: string, path: string, options: { token?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    if (options.body !== undefined) headers['content-type'] ??= 'application/json'
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    })
    const text = await response.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, body, text }
  }

  return { token, call }
}

export const studentScopes = ['read:question', 'read:solution', 'challenge', 'read:schema']
export const teacherScopes = [...studentScopes, 'write:resource']
