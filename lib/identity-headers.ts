// The verified identity travels from the gateway to the internal services in
// this header. The gateway strips any client-sent header with the prefix
// before setting them, so internal services can trust them.
export const identityHeaderPrefix = 'x-playground-'
export const userHeader = 'x-playground-user'

export function userIdOf (headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers[userHeader]
  return typeof value === 'string' && value.length > 0 ? value : null
}
