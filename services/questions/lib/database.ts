// The slice of Platformatic DB's database handle (@databases/pg) that the
// domain modules use, so they can be given app.platformatic.db and sql.
export interface SqlQuery { readonly __sqlQuery?: true }
export interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): SqlQuery
}
export interface Queryable {
  query: (query: SqlQuery) => Promise<Record<string, unknown>[]>
}
export interface Database extends Queryable {
  tx: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>
}

export interface Db {
  db: Database
  sql: Sql
}
