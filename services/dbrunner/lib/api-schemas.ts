// JSON Schemas of the runner's API: validator, serializer, OpenAPI document
// and (through the type provider) the types of the route handlers at once.
// The runner is pure compute: every request carries the SQL it works on.
import { errorSchema } from '../../../lib/error-schema.ts'
import { verdictReasons } from './grading.ts'

export { errorSchema }

const sql = (description: string, maxLength = 1_048_576) => ({ type: 'string', minLength: 1, maxLength, description } as const)

const owner = { type: 'string', maxLength: 300, description: 'Whose share of the runner the work spends (fair scheduling between users)' } as const

export const cellSchema = { type: ['string', 'null'] } as const

export const queryResultSchema = {
  type: 'object',
  properties: {
    header: { type: 'array', items: { type: 'string' } },
    rows: { type: 'array', items: { type: 'array', items: cellSchema } }
  },
  required: ['header', 'rows'],
  additionalProperties: false
} as const

/** Why the runner could not do the work: the database SQL, the reference answer or the query fails. */
export const runFailureSchema = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    stage: { type: 'string', enum: ['schema', 'answer', 'query'] },
    code: { type: 'string', description: 'query_error, timeout, limit, schema_error' },
    dataset: { type: ['integer', 'null'], description: 'Index of the hidden dataset concerned (grading only)' }
  },
  required: ['message', 'stage'],
  additionalProperties: false
} as const

export const errorResponses = {
  400: errorSchema,
  422: runFailureSchema,
  429: errorSchema,
  500: errorSchema,
  503: errorSchema
} as const

export const runBody = {
  type: 'object',
  properties: {
    database: sql('The SQL that creates and fills the database'),
    query: { type: 'string', maxLength: 1_048_576, description: 'The SQL to run (SQLite); several statements may be given' },
    owner,
    result: { type: 'boolean', default: false, description: 'Return the result table too' }
  },
  required: ['database', 'query'],
  additionalProperties: false
} as const

export const runReply = {
  type: 'object',
  properties: {
    input_hash: { type: 'string' },
    output_hash: { type: 'string' },
    result: queryResultSchema
  },
  required: ['input_hash', 'output_hash'],
  additionalProperties: false
} as const

export const verdictSchema = {
  type: 'object',
  properties: {
    same: { type: 'boolean' },
    reason: { type: 'string', enum: verdictReasons },
    hint: { type: 'string', description: 'What the reason means, in a sentence' },
    counterexample: {
      type: 'object',
      description: 'When the query is right on the visible data but fails on a hidden dataset: a small dataset made from the visible data only, on which it differs from the reference answer',
      properties: {
        initial_sql: { type: 'string', description: 'SQL that builds the dataset (at most 32 rows per table)' },
        expected_rows: { type: 'array', items: { type: 'array', items: cellSchema } },
        actual_rows: { type: ['array', 'null'], items: { type: 'array', items: cellSchema }, description: 'null when the query fails there (actual_error says why)' },
        actual_error: { type: 'string' },
        expected_row: { type: ['array', 'null'], items: cellSchema },
        actual_row: { type: ['array', 'null'], items: cellSchema }
      },
      required: ['initial_sql', 'expected_rows', 'actual_rows', 'expected_row', 'actual_row'],
      additionalProperties: false
    },
    expected_row: { type: ['array', 'null'], items: cellSchema, description: 'The first row of the reference result that differs' },
    actual_row: { type: ['array', 'null'], items: cellSchema, description: 'The first row of your result that differs' }
  },
  required: ['same'],
  additionalProperties: false
} as const

/** What grading answers the caller: the verdict, and what identifies the mistake. */
export const gradeReply = {
  type: 'object',
  properties: {
    ...verdictSchema.properties,
    output_hash: { type: 'string', description: 'The output hash of the query\'s result on the visible database' }
  },
  required: ['same', 'output_hash'],
  additionalProperties: false
} as const

export const gradingSettingsSchema = {
  type: 'object',
  description: 'How answers to the question are compared with the reference answer',
  properties: {
    row_order: {
      type: 'string',
      enum: ['auto', 'any', 'strict'],
      default: 'auto',
      description: 'auto: as the reference answer\'s ORDER BY allows (rows that tie on every sort key may come in any order; without ORDER BY, any order); any: row order never matters; strict: the exact sequence'
    },
    column_names: {
      type: 'string',
      enum: ['ignore', 'match'],
      default: 'ignore',
      description: 'ignore: columns compare by position and count; match: their names must match too (case-insensitive)'
    },
    numeric_tolerance: {
      type: ['number', 'null'],
      minimum: 0,
      maximum: 1e9,
      // No `default: null`: Platformatic Gateway 3.54's composer cannot walk a
      // null in a document. Left out, it is null.
      description: 'null (or left out): values compare as exact text; a number: numeric values equal within it, and an integral REAL equals the integer (9.0 is 9)'
    }
  },
  additionalProperties: false
} as const

export const gradeBody = {
  type: 'object',
  properties: {
    database: sql('The SQL of the database the student sees'),
    datasets: { type: 'array', items: sql('A hidden dataset: the same tables with other rows'), maxItems: 50, default: [] },
    answer: sql('The reference answer', 65_536),
    query: sql('The query to grade'),
    owner,
    settings: gradingSettingsSchema
  },
  required: ['database', 'answer', 'query'],
  additionalProperties: false
} as const

export const checkBody = {
  type: 'object',
  properties: {
    database: sql('The SQL that creates and fills the database'),
    query: { type: 'string', maxLength: 65_536, description: 'A query that must run on it, if given' },
    owner
  },
  required: ['database'],
  additionalProperties: false
} as const

export const structureBody = {
  type: 'object',
  properties: { database: sql('The SQL that creates and fills the database'), owner },
  required: ['database'],
  additionalProperties: false
} as const

export const structureReply = {
  type: 'object',
  properties: {
    tables: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          columns: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string', description: 'The declared type, as written in the schema' },
                primary_key: { type: 'boolean' },
                not_null: { type: 'boolean' }
              },
              required: ['name', 'type', 'primary_key', 'not_null'],
              additionalProperties: false
            }
          },
          foreign_keys: {
            type: 'array',
            description: 'The foreign keys of the table, as SQLite reads them (pragma_foreign_key_list)',
            items: {
              type: 'object',
              properties: {
                from: { type: 'array', items: { type: 'string' }, description: 'The columns of this table' },
                table: { type: 'string', description: 'The table referred to' },
                to: { type: 'array', items: { type: 'string' }, description: 'Its columns, pair by pair with `from` (its primary key when the constraint names none)' }
              },
              required: ['from', 'table', 'to'],
              additionalProperties: false
            }
          }
        },
        required: ['name', 'columns', 'foreign_keys'],
        additionalProperties: false
      }
    }
  },
  required: ['tables'],
  additionalProperties: false
} as const

/** A question's SQL, for its quality report and generated datasets. */
/** Surviving mutants the teacher judged equivalent to the answer: no data can tell them apart. */
export const equivalentMutantsSchema = {
  type: 'array',
  description: 'Mutants of the reference answer judged equivalent to it (no data can tell them apart), each with why: they are left out of the score',
  maxItems: 100,
  items: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 65_536, description: 'The mutant, as the quality report lists it' },
      reason: { type: 'string', minLength: 1, maxLength: 500, description: 'Why no data can tell it apart' }
    },
    required: ['query', 'reason'],
    additionalProperties: false
  }
} as const

export const questionSqlBody = {
  type: 'object',
  properties: {
    database: sql('The SQL of the database the student sees'),
    datasets: { type: 'array', items: sql('A hidden dataset: the same tables with other rows'), maxItems: 50, default: [] },
    answer: sql('The reference answer', 65_536),
    settings: gradingSettingsSchema,
    equivalent_mutants: { ...equivalentMutantsSchema, default: [] },
    owner
  },
  required: ['database', 'answer'],
  additionalProperties: false
} as const

export const generateBody = {
  ...questionSqlBody,
  properties: {
    ...questionSqlBody.properties,
    max_datasets: { type: 'integer', minimum: 1, maximum: 5, default: 5, description: 'How many datasets to propose at most' },
    time_budget_ms: { type: 'integer', minimum: 100, maximum: 20_000, default: 8000, description: 'How long the search may take' }
  }
} as const

export const qualityReportSchema = {
  type: 'object',
  properties: {
    deterministic: { type: 'boolean', description: 'The reference answer gives the same result whatever order the rows are stored in' },
    warnings: { type: 'array', items: { type: 'string' } },
    datasets: { type: 'integer', description: 'How many hidden datasets the question has' },
    mutants: {
      type: 'object',
      description: 'Plausible wrong answers made from the reference answer (mutants), and how many of them the data tells apart from it',
      properties: {
        total: { type: 'integer' },
        killed: { type: 'integer' },
        survived: { type: 'integer', description: 'Mutants no dataset tells apart, apart from those judged equivalent' },
        equivalent: { type: 'integer', description: 'Surviving mutants judged equivalent to the answer' },
        score: { type: 'number', description: 'killed / (total - equivalent) (1 when there is no other mutant)' }
      },
      required: ['total', 'killed', 'survived', 'equivalent', 'score'],
      additionalProperties: false
    },
    survivors: {
      type: 'array',
      description: 'Mutants that no dataset tells apart: wrong answers that would pass, or answers equivalent to the reference not yet judged so',
      items: {
        type: 'object',
        properties: { operator: { type: 'string' }, query: { type: 'string' } },
        required: ['operator', 'query'],
        additionalProperties: false
      }
    },
    equivalent: {
      type: 'array',
      description: 'Surviving mutants judged equivalent to the answer, with why',
      items: {
        type: 'object',
        properties: { operator: { type: 'string' }, query: { type: 'string' }, reason: { type: 'string' } },
        required: ['operator', 'query', 'reason'],
        additionalProperties: false
      }
    }
  },
  required: ['deterministic', 'warnings', 'datasets', 'mutants', 'survivors', 'equivalent'],
  additionalProperties: false
} as const

export const generatedDatasetsSchema = {
  type: 'object',
  properties: {
    datasets: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        properties: {
          initial_sql: { type: 'string', description: 'SQL that creates the schema\'s tables with the proposed rows (at most 32 per table)' },
          kills: { type: 'array', items: { type: 'string' }, description: 'The surviving mutants this dataset tells apart from the reference answer' }
        },
        required: ['initial_sql', 'kills'],
        additionalProperties: false
      }
    }
  },
  required: ['datasets'],
  additionalProperties: false
} as const
