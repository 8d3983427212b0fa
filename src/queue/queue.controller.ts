import { Body, Controller, Get, HttpCode, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
