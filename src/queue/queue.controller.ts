import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ReportDto, ReportQuery } from './dto/report.dto';
import { QueueReportsService } from './queue-reports.service';
import type { Response } from 'express';
import { Authenticated } from '../auth/authenticated.decorator';
import { notFound } from '../common/app-error';
import { sendMedia } from '../media/send-media';
import { AnnouncementsService } from './announcements.service';
import { AnnouncementDto, AnnouncementSentDto } from './dto/announcement.dto';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { QueueSpeechService } from './speech/queue-speech.service';

@ApiTags('queue')
@Controller('api/queue')
export class QueueController {
  constructor(
    private readonly announcements: AnnouncementsService,
    private readonly snapshots: QueueSnapshotsService,
    private readonly speech: QueueSpeechService,
    private readonly reports: QueueReportsService,
  ) {}

  @Post('announcements')
  @HttpCode(202)
  @UseInterceptors(QueueFailureInterceptor)
  @Authenticated({ roles: ['admin', 'leader'] })
  @ApiAcceptedResponse({ type: AnnouncementSentDto, description: 'Sent as ANNOUNCEMENT (sanitized) to the listed TVs, or every TV' })
  announce(@Body() dto: AnnouncementDto): AnnouncementSentDto {
    return this.announcements.send(dto);
  }

  @Get('stats')
  @UseInterceptors(QueueFailureInterceptor)
  @Authenticated({ roles: ['admin', 'leader', 'manager'] })
  @ApiOkResponse({ description: 'STATS_UPDATE payload plus a per-counter breakdown' })
  stats() {
    return this.snapshots.stats();
  }

  @Get('reports')
  @UseInterceptors(QueueFailureInterceptor)
  @Authenticated({ roles: ['admin', 'leader', 'manager'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReportDto, description: 'Figures per service, counter or officer over a range of local days; format=csv for a spreadsheet' })
  async report(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response): Promise<ReportDto | string> {
    const report = await this.reports.report(q);
    if (q.format !== 'csv') return report;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="queue-report-${report.group_by}-${report.from}-${report.to}.csv"`);
    return this.reports.csv(report);
  }

  /** Public: a TV's <audio> element cannot send a token. Names are content hashes, so responses never change. */
  @Get('audio/:file')
  @ApiProduces('audio/wav')
  @ApiOkResponse({ description: 'WAV speech of an announcement' })
  async audio(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const audio = await this.speech.open(file);
    if (!audio) throw notFound('Audio');
    sendMedia(res, audio, { cacheControl: 'public, max-age=31536000, immutable' });
  }
}
