// The shape of every error the API answers with, in every service.
export const errorSchema = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message']
} as const
