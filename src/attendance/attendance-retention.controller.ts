import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { AttendanceRetentionService } from './attendance-retention.service';

@ApiTags('attendance')
@Controller('api/attendance/retention')
@Authenticated({ roles: ['admin', 'manager'] })
export class AttendanceRetentionController {
  constructor(private readonly retention: AttendanceRetentionService) {}

  @Get('runs')
  @ApiOkResponse({ description: 'The latest 30 daily runs, newest first: `[{day, ran_at, deleted: {visits, visit_images, records, record_images, reviews, files}}]`' })
  runs(): Promise<Array<{ day: string; ran_at: string; deleted: Record<string, number> }>> {
    return this.retention.runs();
  }
}
