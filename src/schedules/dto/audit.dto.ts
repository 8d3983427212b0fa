import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsUUID, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS, AuditAction } from '../entities/schedule-audit.entity';

const int = () => Transform(({ value }) => (value === undefined ? undefined : Number(value)));

export class AuditQuery {
  @Optional() @int() @IsInt() @Min(1) schedule_id?: number;
  /** Changes to this employee’s schedules, including ones moved away from them */
  @Optional() @int() @IsInt() @Min(1) employee_id?: number;
  /** Who made the change */
  @Optional() @IsUUID() actor_id?: string;
  @ApiPropertyOptional({ description: 'From this instant (inclusive)' }) @Optional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Up to this instant (exclusive)' }) @Optional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @Optional() @int() @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @Optional() @int() @IsInt() @Min(0) offset?: number;
}

export class AuditActorDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null when a device made the change' }) id: string | null;
  name: string;
}

export class AuditEntryDto {
  id: number;
  schedule_id: number;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  employee_id: number;
  previous_employee_id: number | null;
  changed_by: AuditActorDto;
  at: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The changed fields before (all tracked fields for a deletion; null for a creation)' }) before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The changed fields after (all tracked fields for a creation; null for a deletion)' }) after: Record<string, unknown> | null;
  reason: string | null;
}
