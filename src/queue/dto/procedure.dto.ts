import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Optional } from '../../common/optional';
import type { Procedure } from '../entities/procedure.entity';

export class CreateProcedureDto {
  /** @example "Đăng ký đất đai, tài sản gắn liền với đất" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /**
   * Minutes one visitor usually takes
   * @example 10
   */
  @IsInt()
  @Min(1)
  @Max(480)
  average_service_time: number;

  /**
   * Letters shown before its ticket numbers (A → A012), unique; tickets of a service with a prefix are numbered per service per day
   * @example "A"
   */
  @Optional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(/^[A-Z]{1,4}$/, { message: 'prefix must be 1 to 4 capital letters A-Z' })
  prefix?: string | null;
}

export class UpdateProcedureDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(480)
  average_service_time?: number;

  /** Letters before its numbers; null removes the prefix */
  @Optional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(/^[A-Z]{1,4}$/, { message: 'prefix must be 1 to 4 capital letters A-Z' })
  prefix?: string | null;
}

export class ProcedureDto {
  id: number;
  name: string;
  /** Minutes */
  average_service_time: number;
  prefix: string | null;

  static of(p: Procedure): ProcedureDto {
    return { id: p.id, name: p.name, average_service_time: p.averageServiceTime, prefix: p.prefix };
  }
}
