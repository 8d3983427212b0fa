import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { badRequest } from './app-error';
import { IsInstant } from './instant';

/** Page size of a read of changes when the client names none, and its cap. */
export const CHANGES_DEFAULT_LIMIT = 100;
export const CHANGES_MAX_LIMIT = 1000;

/** A list's `since` / `changed_since` parameter: starts a read of what changed at or after that server time. */
export const ChangedSince = (what: string) =>
  applyDecorators(
    ApiPropertyOptional({
      example: '2026-03-09T08:00:00.000Z',
      description: `Only ${what} changed at or after this server time (the \`as_of\` of the previous read); the reply becomes a page of changes`,
    }),
    IsOptional(),
    IsInstant(),
  );

/** A list's `cursor` parameter: the `next_cursor` of the previous page of changes. */
export const ChangesCursor = () =>
  applyDecorators(ApiPropertyOptional({ description: 'The `next_cursor` of the previous page of changes: continues the same read' }), IsOptional(), IsString(), MaxLength(1000));

/** What a client asked of a change feed: a start time or a cursor, and a page size. */
export interface ChangeRequest {
  since?: string;
  cursor?: string;
  limit: number;
}

/**
 * The change read a list query asks for, or null when it asks for the plain
 * list. A read of changes is ordered by change, so the plain list's paging
 * and filters (`others`, by name) do not combine with it: a 400 says so
 * rather than silently ignoring them.
 */
export function changeRequest(q: object, sinceField: string, others: readonly string[] = []): ChangeRequest | null {
  const values = q as Record<string, unknown>;
  const since = values[sinceField] as string | undefined;
  const cursor = values.cursor as string | undefined;
  if (since === undefined && cursor === undefined) return null;
  if (since !== undefined && cursor !== undefined) throw badRequest(`Use \`${sinceField}\` to start a read of changes or \`cursor\` to continue one, not both`, { field: 'cursor' });
  const clash = others.find((f) => values[f] !== undefined);
  if (clash) throw badRequest(`\`${clash}\` does not combine with \`${sinceField}\` or \`cursor\`: a read of changes pages with \`cursor\``, { field: clash });
  const limit = values.limit as number | undefined;
  return { since, cursor, limit: Math.min(limit ?? CHANGES_DEFAULT_LIMIT, CHANGES_MAX_LIMIT) };
}

/** The envelope of every read of changes; a list adds its `items` (and `deleted` where things can be deleted). */
export class ChangePageDto {
  @ApiProperty({
    example: '2026-03-09T08:00:03.123456Z',
    description: 'Server time to pass as `since` / `changed_since` next time: every change not in this read is at or after it (a few may come again)',
  })
  as_of: string;

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page of this read; null on the last page' })
  next_cursor: string | null;

  has_more: boolean;
}

/** A page of a list whose things can be deleted: `deleted` is complete from `deleted_since` on. */
export class ChangePageWithDeletionsDto extends ChangePageDto {
  @ApiProperty({
    example: '2026-02-07T08:00:03.123456Z',
    description:
      'Deletions are remembered for CHANGE_FEED_RETENTION_DAYS (30 by default): `deleted` lists every deletion from this time on. If your `since` is older and you keep rows from before it, load the whole list again instead',
  })
  deleted_since: string;
}
