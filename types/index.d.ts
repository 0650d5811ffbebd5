import { Entity, EntityHooks, Entities as DatabaseEntities, PlatformaticDatabaseConfig, PlatformaticDatabaseMixin } from '@platformatic/db'
import { PlatformaticApplication, PlatformaticServiceConfig } from '@platformatic/service'
import { type FastifyInstance } from 'fastify'

import { type Challenge } from './challenge.ts'
import { type Group } from './group.ts'
import { type HiddenDataset } from './hiddenDataset.ts'
import { type LeaderboardEntry } from './leaderboardEntry.ts'
import { type PointLedger } from './pointLedger.ts'
import { type Question } from './question.ts'
import { type Schema } from './schema.ts'
import { type Submission } from './submission.ts'
import { type User } from './user.ts'

export { type Challenge } from './challenge.ts'
export { type Group } from './group.ts'
export { type HiddenDataset } from './hiddenDataset.ts'
export { type LeaderboardEntry } from './leaderboardEntry.ts'
export { type PointLedger } from './pointLedger.ts'
export { type Question } from './question.ts'
export { type Schema } from './schema.ts'
export { type Submission } from './submission.ts'
export { type User } from './user.ts'

export interface Entities extends DatabaseEntities {
  challenge: Entity<Challenge>
  group: Entity<Group>
  hiddenDataset: Entity<HiddenDataset>
  leaderboardEntry: Entity<LeaderboardEntry>
  pointLedger: Entity<PointLedger>
  question: Entity<Question>
  schema: Entity<Schema>
  submission: Entity<Submission>
  user: Entity<User>
}

export interface EntityTypes {
  challenge: Challenge
  group: Group
  hiddenDataset: HiddenDataset
  leaderboardEntry: LeaderboardEntry
  pointLedger: PointLedger
  question: Question
  schema: Schema
  submission: Submission
  user: User
}

export interface EntitiesHooks {
  addEntityHooks(entityName: 'challenge', hooks: EntityHooks<Challenge>): any
  addEntityHooks(entityName: 'group', hooks: EntityHooks<Group>): any
  addEntityHooks(entityName: 'hiddenDataset', hooks: EntityHooks<HiddenDataset>): any
  addEntityHooks(entityName: 'leaderboardEntry', hooks: EntityHooks<LeaderboardEntry>): any
  addEntityHooks(entityName: 'pointLedger', hooks: EntityHooks<PointLedger>): any
  addEntityHooks(entityName: 'question', hooks: EntityHooks<Question>): any
  addEntityHooks(entityName: 'schema', hooks: EntityHooks<Schema>): any
  addEntityHooks(entityName: 'submission', hooks: EntityHooks<Submission>): any
  addEntityHooks(entityName: 'user', hooks: EntityHooks<User>): any
}

export interface SchemaGetters {
  getSchema(schemaId: 'challenge'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof Challenge]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'group'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof Group]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'hiddenDataset'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof HiddenDataset]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'leaderboardEntry'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof LeaderboardEntry]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'pointLedger'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof PointLedger]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'question'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof Question]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'schema'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof Schema]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'submission'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof Submission]: { type: string, nullable?: boolean } },
    required: string[]
  }

getSchema(schemaId: 'user'): {
    '$id': string,
    title: string,
    description: string,
    type: string,
    properties: { [x in keyof User]: { type: string, nullable?: boolean } },
    required: string[]
  }
}

export type ServerInstance<Configuration = PlatformaticDatabaseConfig> = FastifyInstance & {
  platformatic: PlatformaticApplication<Configuration> & PlatformaticDatabaseMixin<Entities> & EntitiesHooks & SchemaGetters
}
