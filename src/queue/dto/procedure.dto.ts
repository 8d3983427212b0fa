import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
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
}

export class UpdateProcedureDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(480)
  average_service_time?: number;
}

export class ProcedureDto {
  id: number;
  name: string;
  /** Minutes */
  average_service_time: number;

  static of(p: Procedure): ProcedureDto {
    return { id: p.id, name: p.name, average_service_time: p.averageServiceTime };
  }
}
