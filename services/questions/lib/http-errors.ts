// An error the error handler answers with its status and `{ message }`.
export function httpError (statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode })
}
