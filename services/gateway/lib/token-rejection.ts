// Why a request's access token is not accepted: the one error type of the
// key source and the verifier, turned into 401 answers by the auth plugin.

/**
 * 'missing': no Bearer credentials at all; 'malformed': not `Bearer <jwt>`;
 * 'invalid' / 'expired': a token was given and cannot be accepted.
 */
export type TokenProblem = 'missing' | 'malformed' | 'invalid' | 'expired'

export class TokenRejectedError extends Error {
  problem: TokenProblem

  constructor (problem: TokenProblem, message: string) {
    super(message)
    this.name = 'TokenRejectedError'
    this.problem = problem
  }
}
