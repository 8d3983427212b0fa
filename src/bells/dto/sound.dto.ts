import { ApiProperty } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class UploadSoundDto {
  /**
   * Defaults to the file name
   * @example "Period bell"
   */
  @Optional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ type: 'string', format: 'binary', description: 'Audio: WAV, MP3, OGG, FLAC, M4A/AAC or WebM' })
  file: unknown;
}

export class RenameSoundDto {
  /** @example "Lunch bell" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class SoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
  /** sha256 hex of the bytes; the ETag of the download */
  checksum: string;
  size: number;
  mime_type: string;
  @ApiProperty({ description: 'Absolute URL of the bytes (send the token as a header or ?token=)' }) url: string;
  created_at: string;
  updated_at: string;
}
