import { PageQuery as CommonPageQuery, PageLimit } from '../../common/pagination';
import { Optional } from '../../common/optional';
import { ChangedSince, ChangesCursor } from '../../common/changes';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

export class CreateEventSessionDto {
  /** @example "Opening keynote" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /**
   * Check-in opens
   * @example "2024-03-13T15:00:00Z"
   */
  @IsISO8601({ strict: true })
  starts_at: string;

  /**
   * Check-in closes; after starts_at
   * @example "2024-03-13T17:00:00Z"
   */
  @IsISO8601({ strict: true })
  ends_at: string;

  @ApiPropertyOptional({ default: true, description: 'false: only the host and admins may watch the dashboard' })
  @Optional()
  @IsBoolean()
  dashboard_public?: boolean;

  /** Most people checked in; null or omitted: no limit. Further check-ins are refused as `full` */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number | null;
}

export class UpdateEventSessionDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Optional()
  @IsISO8601({ strict: true })
  starts_at?: string;

  @Optional()
  @IsISO8601({ strict: true })
  ends_at?: string;

  @Optional()
  @IsBoolean()
  dashboard_public?: boolean;

  /** Most people checked in; null or omitted: no limit. Further check-ins are refused as `full` */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number | null;
}

/** The common pagination, at most 100000 per page. */
export class EventSessionPageQuery extends CommonPageQuery {
  @PageLimit(100_000)
  declare limit?: number;
}

/** `GET /api/event-sessions/:id/check-ins`: a page of attempts, or with `since` the attempts recorded or undone since then. */
export class CheckInListQuery extends EventSessionPageQuery {
  @ChangedSince('attempts recorded or undone')
  since?: string;

  @ChangesCursor()
  cursor?: string;
}

export class EventSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  dashboard_public: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The creator' }) host_id: string | null;
  @ApiProperty({ description: 'open: check-ins succeed now; upcoming; closed', enum: ['upcoming', 'open', 'closed'] }) status: 'upcoming' | 'open' | 'closed';
  /** Most people checked in; null: no limit */
  capacity: number | null;
  created_at: string;
  updated_at: string;
  @ApiPropertyOptional({ type: [String], description: 'Only in the answer to a create or update, when something looks wrong (the session has already ended)' })
  warnings?: string[];
}

export class GuestDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsEmail()
  @MaxLength(254)
  email: string;
}

/** Either a user or a guest without an account. */
export class RegisterDto {
  @Optional()
  @IsUUID()
  user_id?: string;

  /** A guest without an account */
  @Optional()
  @ValidateNested()
  @Type(() => GuestDto)
  guest?: GuestDto;
}

export class RegistrationDto {
  @ApiProperty({ format: 'uuid' }) session_id: string;
  @ApiProperty({ format: 'uuid', description: "Who checks in: the user's id, or for a guest the id made at registration" }) user_id: string;
  user_name: string;
  /** A guest without an account */
  guest: boolean;
  guest_email: string | null;
  registered_at: string;
  /** The signed ticket: what its QR code holds; POST …/scans checks it in */
  ticket: string;
}

export class CheckinTicketDto extends RegistrationDto {
  /** The ticket as an SVG QR code */
  qr_svg: string;
}

/** A ticket read at the door. */
export class ScanDto {
  /** The text of the QR code */
  @IsString()
  @MaxLength(200)
  ticket: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The scanner's own id for this scan: sending it again (made offline, retried) applies it once" })
  @Optional()
  @IsUUID()
  scan_id?: string;

  @ApiPropertyOptional({ description: 'When the scan was made (offline scans sent later); not in the future. Default: now' })
  @Optional()
  @IsISO8601({ strict: true })
  scanned_at?: string;
}

export class CheckInRequestDto {
  @ApiProperty({ format: 'uuid', description: 'Who is checking in (a scanner reads it from a badge)' })
  @IsUUID()
  user_id: string;
}
