import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsInstant } from './form-fields';

export class CreateVisitDto {
  @ApiPropertyOptional({ example: '2023-12-10T12:00:00Z', description: 'When the client was seen; default: now' })
  @Optional()
  @IsInstant()
  datetime?: string;

  @ApiProperty({ example: 'XYZ789', description: 'The camera that saw the client' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id: string;
}

export class UpdateVisitDto {
  @ApiPropertyOptional({ example: '2023-12-10T12:00:00Z' })
  @Optional()
  @IsInstant()
  datetime?: string;

  @ApiPropertyOptional({ example: 'XYZ789' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id?: string;
}

/** A visit: the `client_visit_*` frame's fields, plus its id and captured photo. */
export class VisitDto {
  @ApiProperty({ example: 7 }) id: number;
  @ApiProperty({ example: '2023-12-10T12:00:00.000Z' }) datetime: string;
  @ApiProperty({ example: 'XYZ789' }) device_id: string;
  @ApiProperty({ example: 1, description: 'The client id' }) client: number;
  @ApiProperty({ nullable: true, type: String, description: 'Absolute URL of the captured face, if any' }) image: string | null;
}
