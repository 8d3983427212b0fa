import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UploadedFile } from '@nestjs/common';
import type { Response } from 'express';
import { ParseIdPipe } from '../common/db-input';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { ImageUpload } from '../media/image-upload.interceptor';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceRecordsService, DaySummary } from './attendance-records.service';
import { recordResource, UrlOf } from './attendance.wire';
import { AttendanceShiftsService, ShiftSummary } from './attendance-shifts.service';
import { badRequest } from '../common/app-error';
import { HeldDto } from './dto/review.dto';
import { CreatedRecordDto, CreateRecordDto, ListRecordsQuery, RecordChangesDto, RecordDto, SummaryDto, SummaryQuery } from './dto/record.dto';
import { changeRequest } from '../common/changes';

@ApiTags('attendance')
@Controller('api/attendance')
export class AttendanceRecordsController {
  private readonly url: UrlOf;

  constructor(
    private readonly records: AttendanceRecordsService,
    private readonly shifts: AttendanceShiftsService,
    urls: AttendanceImageUrls,
  ) {
    this.url = urls.url;
  }

  @Post('records')
  @Authenticated({ roles: ['admin', 'device:camera'] })
  @ImageUpload('image')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: CreateRecordDto })
  @ApiCreatedResponse({ type: CreatedRecordDto, description: 'Recorded' })
  @ApiAcceptedResponse({ type: HeldDto, description: 'Score below ATTENDANCE_MIN_SCORE: held for review, not counted' })
  @ApiOkResponse({ type: CreatedRecordDto, description: 'A retry of an event id, or a sighting within the cool-down: the first record' })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateRecordDto, @Res({ passthrough: true }) res: Response, @UploadedFile() image?: Express.Multer.File): Promise<CreatedRecordDto> {
    const r = await this.records.create(p, dto, image);
    if ('held' in r) {
      // Accepted for review, not counted: the camera need not retry.
      res.status(202);
      return r.held as never;
    }
    res.status(r.duplicate ? 200 : 201);
    return { ...recordResource(r.record, this.url), event_id: r.event_id, duplicate: r.duplicate };
  }

  @Get('records')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: [RecordDto], description: 'Oldest first. With `since` or `cursor`: a RecordChangesDto (what changed since, for a client rebuilding its view)' })
  @ApiExtraModels(RecordChangesDto)
  async list(@Query() q: ListRecordsQuery): Promise<RecordDto[] | RecordChangesDto> {
    const changes = changeRequest(q, 'since', ['offset', 'from', 'to', 'employee_id']);
    if (changes) {
      const page = await this.records.changes(changes);
      return { ...page, items: page.items.map((r) => recordResource(r, this.url)) };
    }
    return (await this.records.list(q)).map((r) => recordResource(r, this.url));
  }

  @Get('records/:id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: RecordDto })
  async get(@Param('id', ParseIdPipe) id: number): Promise<RecordDto> {
    return recordResource(await this.records.get(id), this.url);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiNoContentResponse()
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.records.remove(id);
  }

  @Get('summary')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: SummaryDto, description: 'With from and to instead of date: the shift report {from, to, timezone, shifts, by_employee, by_day}' })
  summary(@Query() q: SummaryQuery): Promise<DaySummary | ShiftSummary> {
    if (q.from !== undefined || q.to !== undefined) {
      if (!q.from || !q.to) throw badRequest('from and to go together (the shift report); or use date alone', { field: q.from ? 'to' : 'from' });
      return this.shifts.summary(q.from, q.to, q.timezone);
    }
    return this.records.summary(q.date, q.timezone);
  }
}
