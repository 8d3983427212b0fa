import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class UploadSoundDto {
  @ApiPropertyOptional({ example: 'Period bell', description: 'Defaults to the file name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ type: 'string', format: 'binary', description: 'Audio: WAV, MP3, OGG, FLAC, M4A/AAC or WebM' })
  file: unknown;
}

export class RenameSoundDto {
  @ApiProperty({ example: 'Lunch bell' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class SoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'sha256 hex of the bytes; the ETag of the download' }) checksum: string;
  @ApiProperty() size: number;
  @ApiProperty() mime_type: string;
  @ApiProperty({ description: 'Absolute URL of the bytes (send the token as a header or ?token=)' }) url: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
