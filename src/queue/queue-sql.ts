import type { EntityManager } from 'typeorm';

/**
 * Rows of a raw query. TypeORM's postgres driver returns `[rows, rowCount]`
 * for UPDATE and DELETE (also with RETURNING) and plain rows otherwise.
 */
export async function queryRows<T = Record<string, any>>(m: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** Largest value of a PostgreSQL `integer`, the type of every queue id and number. */
export const MAX_INT4 = 2 ** 31 - 1;

/** Whether `n` can be a row id: anything else (too large, fractional) is "not found", never a database error. */
export function isRowId(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_INT4;
}
