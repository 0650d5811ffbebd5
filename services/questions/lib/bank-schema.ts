// A question bank: schemas and questions (with their grading settings and
// hidden datasets) as one JSON document. Its JSON Schema is the body of
// POST /bank and the answer of GET /bank (so the OpenAPI document publishes
// it), and validates the files of `npm run bank:import` and of the seeds.
import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyError } from 'fastify'
import { gradingSettingsSchema } from '../../dbrunner/lib/api-schemas.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { validationMessage } from '../../../lib/validation-message.ts'
import { numericId, questionFields, schemaFields, schemaIdParams } from './api-schemas.ts'
import type { GradingSettings } from './challenge-store.ts'
import type { EquivalentMutant } from '../../dbrunner/lib/quality.ts'

export const BANK_VERSION = 1

const bankSchemaEntry = {
  type: 'object',
  description: 'A schema: the SQL that creates and fills the tables its questions are asked on',
  properties: {
    id: schemaIdParams.properties.id,
    description: schemaFields.description,
    picture: { ...schemaFields.picture, description: 'A picture of the tables (URL), or null' },
    initial_sql: { ...schemaFields.initial_sql, description: 'The SQL (SQLite) that creates and fills the tables' }
  },
  required: ['id', 'description', 'initial_sql'],
  additionalProperties: false
} as const

// The fields in the order an export writes them (the file and the API's answer alike).
const { equivalent_mutants: equivalentMutants, ...plainQuestionFields } = questionFields

const bankQuestion = {
  type: 'object',
  description: 'A question, with its reference answer, grading settings, mutants judged equivalent and hidden datasets',
  properties: {
    id: { ...numericId, description: 'The question id, kept on import' },
    ...plainQuestionFields,
    grading: gradingSettingsSchema,
    equivalent_mutants: equivalentMutants,
    datasets: {
      type: 'array',
      maxItems: 50,
      description: 'The hidden datasets, in order: SQL that creates the schema\'s tables with other rows (graded on too, never shown to students)',
      items: { type: 'string', minLength: 1, maxLength: 1_048_576 }
    }
  },
  required: ['id', 'schema_id', 'type', 'difficulty', 'title', 'description', 'answer'],
  additionalProperties: false
} as const

export const bankSchema = {
  type: 'object',
  title: 'Question bank',
  description: 'Schemas and questions as one document. Left out: `picture` and `solution_video` are null, `grading` has its defaults, `equivalent_mutants` and `datasets` are empty.',
  properties: {
    version: { type: 'integer', enum: [BANK_VERSION], description: 'The format of the document' },
    schemas: { type: 'array', maxItems: 1000, items: bankSchemaEntry },
    questions: { type: 'array', maxItems: 10_000, items: bankQuestion }
  },
  required: ['version', 'schemas', 'questions'],
  additionalProperties: false
} as const

export interface BankSchemaEntry {
  id: string
  description: string
  picture: string | null
  initial_sql: string
}

export interface BankQuestion {
  id: string
  schema_id: string
  type: string
  difficulty: 'easy' | 'medium' | 'hard'
  title: string
  description: string
  answer: string
  solution_video: string | null
  grading: GradingSettings
  equivalent_mutants: EquivalentMutant[]
  datasets: string[]
}

/** A bank with every field present. */
export interface Bank {
  version: typeof BANK_VERSION
  schemas: BankSchemaEntry[]
  questions: BankQuestion[]
}

/** A document that passed the JSON Schema, fields left out filled in. */
export function completeBank (document: unknown): Bank {
  const input = document as { schemas: Partial<BankSchemaEntry>[], questions: (Partial<Omit<BankQuestion, 'grading'>> & { grading?: Partial<GradingSettings> })[] }
  return {
    version: BANK_VERSION,
    schemas: input.schemas.map(schema => ({
      id: schema.id!,
      description: schema.description!,
      picture: schema.picture ?? null,
      initial_sql: schema.initial_sql!
    })),
    questions: input.questions.map(question => ({
      id: question.id!,
      schema_id: question.schema_id!,
      type: question.type!,
      difficulty: question.difficulty!,
      title: question.title!,
      description: question.description!,
      answer: question.answer!,
      solution_video: question.solution_video ?? null,
      grading: {
        row_order: question.grading?.row_order ?? 'auto',
        column_names: question.grading?.column_names ?? 'ignore',
        numeric_tolerance: question.grading?.numeric_tolerance ?? null
      },
      equivalent_mutants: question.equivalent_mutants ?? [],
      datasets: question.datasets ?? []
    }))
  }
}

type Validator = ((value: unknown) => boolean) & { errors?: unknown[] | null }
let validator: Validator | undefined

/**
 * Checks a document against the JSON Schema as the route's validator does
 * (the same compiler, no type coercion): a 400 naming the field otherwise.
 */
export function parseBank (document: unknown): Bank {
  validator ??= AjvCompiler()({}, { customOptions: { coerceTypes: false } })({ schema: bankSchema, method: 'POST', url: '/bank', httpPart: 'body' }) as unknown as Validator
  if (!validator(document)) {
    const error = { validation: validator.errors, validationContext: 'bank', message: 'the bank is not valid' } as unknown as FastifyError
    throw new HttpError(400, validationMessage(error))
  }
  return completeBank(document)
}

const idList = (what: string) => ({ type: 'array', items: { type: 'string' }, description: what } as const)
const idLists = {
  type: 'object',
  properties: {
    schemas: idList('schema ids'),
    questions: idList('question ids'),
    datasets: idList('hidden datasets as `<question id>/<position>`, e.g. `3/2`: the second hidden dataset of question 3')
  },
  required: ['schemas', 'questions', 'datasets'],
  additionalProperties: false
} as const

/** What an import did, or would do (dry run). */
export const bankReportSchema = {
  type: 'object',
  properties: {
    dry_run: { type: 'boolean', description: 'true: nothing was written; the lists say what an import would do' },
    mode: { type: 'string', enum: ['merge', 'replace', 'keep'] },
    created: idLists,
    updated: idLists,
    unchanged: idLists,
    deleted: {
      type: 'object',
      description: 'Hidden datasets past the bank\'s last one for their question (mode=replace only)',
      properties: { datasets: idLists.properties.datasets },
      required: ['datasets'],
      additionalProperties: false
    },
    conflicts: {
      type: 'array',
      description: 'Records stored with the same id and other content. With mode=merge, any conflict means nothing is written (409).',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['schema', 'question'] },
          id: { type: 'string' },
          fields: { type: 'array', items: { type: 'string' }, description: 'What differs: field names, or `datasets`' }
        },
        required: ['kind', 'id', 'fields'],
        additionalProperties: false
      }
    }
  },
  required: ['dry_run', 'mode', 'created', 'updated', 'unchanged', 'deleted', 'conflicts'],
  additionalProperties: false
} as const
