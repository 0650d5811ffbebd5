import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import pg from 'pg'
import { isCatalogueEmpty, loadSeeds } from '../../../lib/seed.ts'

// Outside production an empty database gets the starter catalogue, so a fresh
// `npm start` has questions to show. Production never seeds by itself.
async function seedOnStart (app: FastifyInstance) {
  const config = app.settings
  if (config.NODE_ENV === 'production') return
  const client = new pg.Client({ connectionString: config.DATABASE_URL })
  // A connection lost mid-way surfaces through the query that fails.
  client.on('error', error => app.log.warn({ err: { message: error.message } }, 'seed connection error'))
  await client.connect()
  try {
    if (await isCatalogueEmpty(client)) {
      const loaded = await loadSeeds(client)
      app.log.info(loaded, 'loaded the starter catalogue into an empty database')
    }
  } finally {
    await client.end()
  }
}

export default fp(seedOnStart, { name: 'seed-on-start', dependencies: ['settings'] })
