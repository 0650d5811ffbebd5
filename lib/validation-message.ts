import type { FastifyError } from 'fastify'

// Turns Fastify's schema validation error into a message that names the
// field: "difficulty: must be one of easy, medium, hard".
export function validationMessage (error: FastifyError): string {
  const first = error.validation?.[0]
  if (!first) return error.message
  const params = first.params as Record<string, unknown>
  const path = (first.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.')
  const field = params.missingProperty ? [path, params.missingProperty].filter(Boolean).join('.') : path
  let problem = first.message ?? 'is invalid'
  if (first.keyword === 'enum' && Array.isArray(params.allowedValues)) problem = `must be one of ${params.allowedValues.map(String).join(', ')}`
  if (first.keyword === 'pattern' && /id$/i.test(field)) problem = 'is not a valid id'
  if (first.keyword === 'required') problem = 'is required'
  return field ? `${field}: ${problem}` : `${error.validationContext ?? 'request'}: ${problem}`
}
