import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res, UploadedFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { ImageUpload } from '../media/image-upload.interceptor';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceRecordsService, DaySummary } from './attendance-records.service';
import { recordResource, UrlOf } from './attendance.wire';
import { HeldDto } from './dto/review.dto';
import { CreatedRecordDto, CreateRecordDto, ListRecordsQuery, RecordDto, SummaryDto, SummaryQuery } from './dto/record.dto';

@ApiTags('attendance')
@Controller('api/attendance')
export class AttendanceRecordsController {
  private readonly url: UrlOf;

  constructor(
    private readonly records: AttendanceRecordsService,
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
  @ApiOkResponse({ type: [RecordDto], description: 'Oldest first' })
  async list(@Query() q: ListRecordsQuery): Promise<RecordDto[]> {
    return (await this.records.list(q)).map((r) => recordResource(r, this.url));
  }

  @Get('records/:id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: RecordDto })
  async get(@Param('id', ParseIntPipe) id: number): Promise<RecordDto> {
    return recordResource(await this.records.get(id), this.url);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiNoContentResponse()
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.records.remove(id);
  }

  @Get('summary')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: SummaryDto })
  summary(@Query() q: SummaryQuery): Promise<DaySummary> {
    return this.records.summary(q.date, q.timezone);
  }
}
