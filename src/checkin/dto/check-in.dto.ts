import { ApiProperty } from '@nestjs/swagger';
import { ChangePageDto } from '../../common/changes';
import { CheckInFrame } from '../checkin.events';
import { CHECKIN_OUTCOMES, CheckInOutcome } from '../entities/check-in.entity';

/** The seed's dashboard frame; POST …/check-ins answers with it too. */
export class CheckInFrameDto implements CheckInFrame {
  /** @example "2024-03-13T15:30:45.123Z" */
  checkin_time: string;
  /** @example "Check-in successful" */
  message: string;
  /** Always null: no profile pictures are stored */
  profile_url: string | null;
  @ApiProperty({ format: 'uuid' }) session_id: string;
  success: boolean;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  /** Empty when the id is no known user */
  user_name: string;
}

export class RecordedByDto {
  kind: 'user' | 'device';
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
}

export class CheckInRowDto extends CheckInFrameDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CHECKIN_OUTCOMES }) outcome: CheckInOutcome;
  recorded_by: RecordedByDto;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The scanner's id of a ticket scan" }) scan_id: string | null;
  /** When the host undid this check-in */
  undone_at: string | null;
  /** Who undid it */
  undone_by: string | null;
}

export class CheckInCountsDto {
  /** Every attempt, successful or not */
  total_attempts: number;
  @ApiProperty({ description: 'People checked in (one success per person)' }) successful: number;
  failed: number;
  /** People registered now */
  registered: number;
  /** Registered people not checked in yet */
  not_checked_in: number;
  already_checked_in: number;
  not_registered: number;
  not_open: number;
  closed: number;
  /** Refused because the session was at capacity */
  full: number;
  /** Check-ins the host took back */
  undone: number;
}

export class CheckInListDto {
  @ApiProperty({ format: 'uuid' }) session_id: string;
  counts: CheckInCountsDto;
  /** Newest first */
  items: CheckInRowDto[];
}

/** `GET /api/event-sessions/:id/check-ins?since=`: attempts recorded or undone since a server time, oldest change first, and the counts now. */
export class CheckInChangesDto extends ChangePageDto {
  @ApiProperty({ format: 'uuid' }) session_id: string;
  counts: CheckInCountsDto;
  /** Recorded or undone at or after `since`, as they are now */
  items: CheckInRowDto[];
}

/**
 * Sent once on connect to a dashboard that asked for it (`?state=1`): the
 * running totals and the latest attempts, newest first. Later attempt frames
 * to such a socket also carry `id` and `outcome`, so an attempt that is both in
 * `latest` and in a frame right after it can be recognised, and the totals
 * kept up to date.
 */
export class DashboardStateFrame {
  event: 'state';
  session_id: string;
  counts: CheckInCountsDto;
  latest: CheckInRowDto[];
}
