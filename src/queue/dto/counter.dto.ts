import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { COUNTER_STATUSES, CounterStatus } from '../entities/counter.entity';
import { ProcedureDto } from './procedure.dto';

export class CreateCounterDto {
  /** @example "Văn phòng đăng ký đất đai" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: COUNTER_STATUSES, default: 'active' })
  @Optional()
  @IsIn(COUNTER_STATUSES)
  status?: CounterStatus;

  /**
   * Ids of the procedures this counter serves
   * @example [1, 2]
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsInt({ each: true })
  @Min(1, { each: true })
  procedures?: number[];

  @ApiPropertyOptional({ type: [String], description: 'Officers (user ids) assigned here; an officer assigned elsewhere is moved', example: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  officer_ids?: string[];
}

export class UpdateCounterDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Optional()
  @IsIn(COUNTER_STATUSES)
  status?: CounterStatus;

  /** Replaces the procedures the counter serves */
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsInt({ each: true })
  @Min(1, { each: true })
  procedures?: number[];

  /** Replaces the officers assigned here */
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  officer_ids?: string[];
}

export class CounterStatusDto {
  @IsIn(COUNTER_STATUSES)
  status: CounterStatus;

  /**
   * Plain text; markup is stripped and the length capped
   * @example "Nghỉ trưa"
   */
  @Optional()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}

export class CounterDto {
  id: number;
  name: string;
  @ApiProperty({ enum: COUNTER_STATUSES }) status: CounterStatus;
  status_reason: string | null;
  procedures: ProcedureDto[];
  officer_ids: string[];
  waiting_count: number;
  current_number: number | null;
  created_at: string;
  updated_at: string;
}
