// An error whose message is written for the client: the services' error
// handler answers it with its status and `{ message }`, 5xx included.
export class HttpError extends Error {
  statusCode: number
  expose = true
  /** more fields of the answer's body, next to `message` */
  details: Record<string, unknown> | undefined
  /** response headers, e.g. retry-after */
  headers: Record<string, string> | undefined

  constructor (statusCode: number, message: string, options?: ErrorOptions & { details?: Record<string, unknown>, headers?: Record<string, string> }) {
    super(message, options)
    this.name = 'HttpError'
    this.statusCode = statusCode
    this.details = options?.details
    this.headers = options?.headers
  }
}
