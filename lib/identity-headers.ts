// The verified identity travels from the gateway to the internal services in
// these headers. The gateway strips any client-sent header with the prefix
// before setting them, so internal services can trust them.
export const identityHeaderPrefix = 'x-playground-'
export const userHeader = 'x-playground-user'
/** The user's display name, percent-encoded UTF-8 (header values are ASCII) */
export const nameHeader = 'x-playground-name'

export const MAX_DISPLAY_NAME_LENGTH = 100

type Headers = Record<string, string | string[] | undefined>

export function userIdOf (headers: Headers): string | null {
  const value = headers[userHeader]
  return typeof value === 'string' && value.length > 0 ? value : null
}

// Anything that looks like an e-mail address: a name that carries one is
// not shown at all, so no address ever reaches a leaderboard.
const emailLike = /[^\s@]+@[^\s@]+\.[^\s@]+/

/**
 * A name fit to show to other users, or null: text, control characters
 * removed, whitespace collapsed, at most 100 characters, and never one that
 * contains an e-mail address.
 */
export function cleanDisplayName (raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  // Lone surrogates become U+FFFD, so the name can be encoded for the header.
  const text = raw.toWellFormed().replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim()
  if (text === '' || emailLike.test(text)) return null
  const name = Array.from(text).slice(0, MAX_DISPLAY_NAME_LENGTH).join('').trim()
  return name === '' ? null : name
}

export function encodeDisplayName (name: string): string {
  return encodeURIComponent(name)
}

/** The display name the gateway forwarded, cleaned again; null when there is none. */
export function displayNameOf (headers: Headers): string | null {
  const value = headers[nameHeader]
  if (typeof value !== 'string' || value === '') return null
  try {
    return cleanDisplayName(decodeURIComponent(value))
  } catch {
    return null
  }
}
