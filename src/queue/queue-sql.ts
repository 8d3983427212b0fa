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
