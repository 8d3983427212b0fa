import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsEmail, IsInt, IsString, IsUUID, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { EmployeeSnapshot } from '../employees.events';

export class CreateEmployeeDto {
  /** @example "John" */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  first_name: string;

  /** @example "Doe" */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  last_name: string;

  @ApiPropertyOptional({ example: 'john.doe@example.com', nullable: true })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  /** @example "1234567890" */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(40)
  phone_number?: string | null;

  /**
   * Job role shown in schedule frames
   * @example "server"
   */
  @Optional()
  @IsString()
  @MaxLength(100)
  job_role?: string;

  /** The user account of this employee */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  user_id?: string | null;

  /** @example 2 */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  working_graphic?: number | null;
}

export class UpdateEmployeeDto extends PartialType(CreateEmployeeDto, { skipNullProperties: false }) {}

export class EmployeeDto implements EmployeeSnapshot {
  id: number;
  first_name: string;
  last_name: string;
  /** First and last name */
  name: string;
  email: string | null;
  phone_number: string | null;
  job_role: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) user_id: string | null;
  working_graphic: number | null;
  image_path: string | null;
  created_at: string;
  updated_at: string;
}
