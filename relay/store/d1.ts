/** Runs drizzle-built SQL on D1 directly: drizzle's own D1 batch cannot carry raw SQL. */
import type { SQL } from 'drizzle-orm'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'

const dialect = new SQLiteAsyncDialect()

export class D1Runner {
  constructor(private readonly d1: D1Database) {}

  prepare(query: SQL): D1PreparedStatement {
    const { sql, params } = dialect.sqlToQuery(query)
    return this.d1.prepare(sql).bind(...params)
  }

  async all<T>(query: SQL): Promise<T[]> {
    return (await this.prepare(query).all<T>()).results
  }

  /** Statements in one transaction; the rows of each, in order. */
  async batch<T extends unknown[][] = unknown[][]>(queries: SQL[]): Promise<T> {
    if (queries.length === 0) return [] as unknown as T
    const results = await this.d1.batch(queries.map((q) => this.prepare(q)))
    return results.map((r) => r.results) as T
  }
}
