import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceReviewsService } from './attendance-reviews.service';
import { AcceptReviewDto, ListReviewsQuery, ReviewDto } from './dto/review.dto';
import { AttendanceReview } from './entities/attendance-review.entity';

@ApiTags('attendance')
@Controller('api/attendance/reviews')
@Authenticated({ roles: ['admin', 'manager'] })
export class AttendanceReviewsController {
  constructor(
    private readonly reviews: AttendanceReviewsService,
    private readonly urls: AttendanceImageUrls,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ReviewDto], description: 'Oldest first; pending unless `status` says otherwise' })
  async list(@Query() q: ListReviewsQuery): Promise<ReviewDto[]> {
    return (await this.reviews.list(q.status ?? 'pending', q)).map((r) => this.wire(r));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: ReviewDto, description: 'Counted: result_id is the new record or visit' })
  async accept(@Param('id', ParseIdPipe) id: number, @Body() dto: AcceptReviewDto): Promise<ReviewDto> {
    return this.wire(await this.reviews.accept(id, dto));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: ReviewDto, description: 'Discarded, its face deleted' })
  async reject(@Param('id', ParseIdPipe) id: number): Promise<ReviewDto> {
    return this.wire(await this.reviews.reject(id));
  }

  private wire(r: AttendanceReview): ReviewDto {
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      employee_id: r.employeeId,
      client_id: r.clientId,
      device_id: r.deviceId,
      datetime: r.datetime.toISOString(),
      score: r.score,
      image: this.urls.url(r.imagePath),
      result_id: r.resultId,
    };
  }
}
