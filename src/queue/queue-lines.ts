import type { EntityManager } from 'typeorm';
import { queryRows } from './queue-sql';

/**
 * SQL condition: ticket `t` waits in the line of counter `c` (an expression):
 * its own tickets, and pooled tickets of a service the counter offers.
 */
export const inLineOf = (c: string) =>
  `(t.counter_id = ${c} OR (t.counter_id IS NULL AND t.pooled AND t.procedure_id IN (SELECT cp.procedure_id FROM queue_counter_procedures cp WHERE cp.counter_id = ${c})))`;

/** Counters that offer a service. */
export async function countersOffering(m: EntityManager, procedureId: number): Promise<number[]> {
  const rows = await queryRows<{ counter_id: number }>(m, 'SELECT counter_id FROM queue_counter_procedures WHERE procedure_id = $1 ORDER BY counter_id', [procedureId]);
  return rows.map((r) => Number(r.counter_id));
}

/** SQL selecting a counter (`$1`) and every counter sharing a service with it: whoever may call a ticket of its line. */
export const POOL_OF_COUNTER = `SELECT $1::int UNION SELECT o.counter_id FROM queue_counter_procedures mine
  JOIN queue_counter_procedures o ON o.procedure_id = mine.procedure_id WHERE mine.counter_id = $1`;

/** A line's waiting tickets, in place order: a counter's, or a service's pooled ones. */
export type Line = { counter: number } | { service: number };

export async function lineTickets(m: EntityManager, line: Line, day: string, except: number | null): Promise<Array<{ id: number; position: number }>> {
  const where = 'counter' in line ? inLineOf('$1') : 't.counter_id IS NULL AND t.pooled AND t.procedure_id = $1';
  const rows = await queryRows<{ id: number; position: number }>(
    m,
    `SELECT t.id, t.position FROM queue_tickets t WHERE ${where} AND t.day = $2 AND t.status = 'waiting' AND t.id <> $3 ORDER BY t.position, t.id`,
    ['counter' in line ? line.counter : line.service, day, except ?? 0],
  );
  return rows.map((r) => ({ id: Number(r.id), position: Number(r.position) }));
}

/**
 * A position right after `places` tickets of the line that are behind
 * `from` (or at the end when fewer are). When the two neighbours share a
 * position, the tickets from the second one on move back by 1 ms so the new
 * place fits strictly between.
 */
export async function positionBehind(m: EntityManager, line: Array<{ id: number; position: number }>, from: { id: number; position: number }, places: number): Promise<number> {
  const behind = line.filter((x) => x.position > from.position || (x.position === from.position && x.id > from.id));
  if (!behind.length) return from.position;
  if (behind.length <= places) return behind[behind.length - 1].position + 1;
  const before = behind[places - 1];
  const after = behind[places];
  if (after.position - before.position < 0.01) {
    const tail = behind.slice(places).map((x) => x.id);
    await m.query('UPDATE queue_tickets SET position = position + 1 WHERE id = ANY($1::int[])', [tail]);
    return before.position + 0.5;
  }
  return (before.position + after.position) / 2;
}
