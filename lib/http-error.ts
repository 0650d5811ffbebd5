// An error whose message is written for the client: the services' error
// handler answers it with its status and `{ message }`, 5xx included.
export class HttpError extends Error {
  statusCode: number
  expose = true

  constructor (statusCode: number, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'HttpError'
    this.statusCode = statusCode
  }
}
