import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsIn, IsInt, IsNumber, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { GENDERS, Gender } from '../entities/attendance-client.entity';
import { ClientDto } from './client.dto';
import { FormNumber, FormString, IsInstant } from './form-fields';
import { VisitDto } from './visit.dto';

export class RecognitionDto {
  @ApiPropertyOptional({ example: 'door-1', description: "The camera's id for itself; default: the posting camera device's id (required from a user)" })
  @FormString()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id?: string;

  @ApiPropertyOptional({ example: '2023-12-10T10:30:00Z', description: 'When the face was seen; default: now' })
  @Optional()
  @IsInstant()
  datetime?: string;

  @ApiPropertyOptional({ example: 1, description: 'The client the camera matched; absent or unknown: a new client is created' })
  @FormNumber()
  @Optional()
  @IsInt()
  @Min(1)
  client_id?: number;

  @ApiPropertyOptional({ enum: GENDERS })
  @FormString()
  @Optional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ example: 30 })
  @FormNumber()
  @Optional()
  @IsInt()
  @Min(0)
  @Max(150)
  age?: number;

  @ApiPropertyOptional({ example: 88, minimum: 0, maximum: 100, description: 'Match score in percent; below ATTENDANCE_MIN_SCORE the recognition waits for review' })
  @FormNumber()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ example: 'door-1-000451', description: 'The camera’s id for this recognition: a retry with the same id is counted once' })
  @FormString()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  event_id?: string;

  @ApiProperty({ type: 'string', format: 'binary', required: true, description: 'The captured face: JPEG, PNG, WebP or GIF' })
  image?: unknown;
}

export class RecognitionResultDto {
  @ApiProperty({ example: 31, description: 'Id of the stored recognition' }) id: number;
  @ApiProperty({ nullable: true, type: String }) event_id: string | null;
  @ApiProperty({ description: 'True when this answers a retry of an event id already counted (HTTP 200)' }) duplicate: boolean;
  @ApiProperty({ description: 'True when the face was unknown and a client was created' }) client_created: boolean;
  @ApiProperty({ nullable: true, type: Number }) client_id: number | null;
  @ApiProperty({ nullable: true, type: Number }) visit_id: number | null;
  @ApiProperty({ nullable: true, type: ClientDto, description: 'The client as it is now (null if deleted since)' }) client: ClientDto | null;
  @ApiProperty({ nullable: true, type: VisitDto, description: 'The visit as it is now (null if deleted since)' }) visit: VisitDto | null;
}
