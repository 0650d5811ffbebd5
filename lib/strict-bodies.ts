// Request bodies are validated without type coercion: `["SELECT 1"]` is not
// a string and `"1"` is not a number in a JSON body. Query strings and path
// parameters are text by nature and keep Fastify's coercion. Both
// validators are Fastify's own compiler, with one option apart.
import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import fp from 'fastify-plugin'

async function strictBodies (app: FastifyInstance) {
  const build = AjvCompiler()
  const external = app.getSchemas() as Parameters<typeof build>[0]
  const strict = build(external, { customOptions: { coerceTypes: false } }) as FastifySchemaCompiler<unknown>
  const lenient = build(external, { customOptions: {} }) as FastifySchemaCompiler<unknown>
  app.setValidatorCompiler(route => (route.httpPart === 'body' ? strict : lenient)(route))
}

export default fp(strictBodies, { name: 'strict-bodies' })
