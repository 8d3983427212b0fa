import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsBoolean, IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { GENDERS, Gender } from '../entities/attendance-client.entity';
import { FormBoolean, FormNumber, FormString } from './form-fields';

export class CreateClientDto {
  @ApiPropertyOptional({ enum: GENDERS, default: 'unknown' })
  @FormString()
  @Optional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ example: 30, nullable: true, minimum: 0, maximum: 150 })
  @FormNumber()
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(150)
  age?: number | null;

  @ApiPropertyOptional({ default: true, description: 'false: no image is kept for this person; setting it to false deletes the photo and every captured face' })
  @FormBoolean()
  @Optional()
  @IsBoolean()
  consent?: boolean;

  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'JPEG, PNG, WebP or GIF (checked by content), at most MEDIA_MAX_IMAGE_BYTES' })
  image?: unknown;
}

export class UpdateClientDto extends PartialType(CreateClientDto, { skipNullProperties: false }) {}

export class VisitHistoryDto {
  @ApiProperty({ example: '2023-12-10T10:30:00.000Z' }) datetime: string;
  @ApiProperty({ example: '1' }) device_id: string;
}

/** Exactly the `data` of `client_create` / `client_update`. */
export class ClientDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ nullable: true, type: String, example: '2023-12-10T10:00:00.000Z' }) first_seen: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2023-12-10T15:00:00.000Z' }) last_seen: string | null;
  @ApiProperty({ example: 5 }) visit_count: number;
  @ApiProperty({ enum: GENDERS }) gender: Gender;
  @ApiProperty({ nullable: true, type: Number, example: 30 }) age: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Absolute URL built from PUBLIC_URL' }) image: string | null;
  @ApiProperty({ type: [VisitHistoryDto], description: 'The latest ATTENDANCE_VISIT_HISTORY_LIMIT visits, oldest first' }) visit_histories: VisitHistoryDto[];
}

/** A client in REST responses: the frame's fields plus whether images may be kept. */
export class ClientResourceDto extends ClientDto {
  @ApiProperty({ description: 'false: no image is stored for this person' }) consent: boolean;
}

export class MergeClientsDto {
  @ApiProperty({ example: 7, description: 'The client folded into this one: its visits move here and it is deleted' })
  @IsInt()
  @Min(1)
  from_client_id: number;
}

export class SplitVisitResultDto {
  @ApiProperty({ type: ClientResourceDto, description: 'The new client holding the visit' }) client: ClientResourceDto;
  @ApiProperty({ description: 'The moved visit' }) visit: object;
}
