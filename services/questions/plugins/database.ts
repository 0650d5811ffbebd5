import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database, Sql } from '../lib/database.ts'
import { pointRules } from '../lib/point-rules.ts'
import type { PointRules } from '../lib/progress.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** this service's PostgreSQL, for the domain modules' own SQL */
    database: { db: Database, sql: Sql }
    pointRules: PointRules
  }
}

// Platformatic DB's connection and SQL tag, typed as the slice the domain
// modules use, and the point rules from the settings.
async function database (app: FastifyInstance) {
  app.decorate('database', { db: app.platformatic.db as unknown as Database, sql: app.platformatic.sql as unknown as Sql })
  app.decorate('pointRules', pointRules(app.settings))
}

export default fp(database, { name: 'database', dependencies: ['settings'] })
