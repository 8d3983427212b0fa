import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsIn, IsInt, Min } from 'class-validator';
import { REVIEW_KINDS, REVIEW_STATUSES, ReviewStatus } from '../entities/attendance-review.entity';
import { FormNumber, FormString } from './form-fields';
import { PageQuery } from './list-query.dto';

export class ListReviewsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES, default: 'pending' })
  @FormString()
  @Optional()
  @IsIn(REVIEW_STATUSES)
  status?: ReviewStatus;
}

export class AcceptReviewDto {
  @ApiPropertyOptional({ example: 3, description: 'Recognition: the client this face is (absent: the suggested one, else a new client). Record: the employee (absent: the suggested one)' })
  @FormNumber()
  @Optional()
  @IsInt()
  @Min(1)
  client_id?: number;

  @ApiPropertyOptional({ example: 2, description: 'Record: the employee this sighting is (absent: the suggested one)' })
  @FormNumber()
  @Optional()
  @IsInt()
  @Min(1)
  employee_id?: number;
}

export class ReviewDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: string;
  @ApiProperty({ example: 'low_score', description: '`low_score` or `unknown_face`' }) reason: string;
  @ApiProperty({ nullable: true, type: Number }) employee_id: number | null;
  @ApiProperty({ nullable: true, type: Number }) client_id: number | null;
  @ApiProperty() device_id: string;
  @ApiProperty() datetime: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Signed URL of the captured face' }) image: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Accepted: the record or visit it became' }) result_id: number | null;
}

/** What a camera gets back when its sighting is held for review (202). */
export class HeldDto {
  @ApiProperty({ example: 'pending' }) status: 'pending';
  @ApiProperty() review_id: number;
  @ApiProperty({ nullable: true, type: String }) event_id: string | null;
  @ApiProperty() duplicate: boolean;
}
