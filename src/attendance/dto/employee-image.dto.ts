import { ApiProperty } from '@nestjs/swagger';

export class EmployeeImageUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'JPEG, PNG, WebP or GIF, at most MEDIA_MAX_IMAGE_BYTES' })
  image: unknown;
}

/** Exactly the `data` of `employee_create` / `employee_update`. */
export class AttendanceEmployeeDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'John' }) first_name: string;
  @ApiProperty({ example: 'Doe' }) last_name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Absolute URL of the photo' }) image: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 2 }) working_graphic: number | null;
}
