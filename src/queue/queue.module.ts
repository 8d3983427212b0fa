import { QueueConfig } from './queue.config';
import './queue.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AnnouncementsService } from './announcements.service';
import { CountersController } from './counters.controller';
import { CountersService } from './counters.service';
import { AlertState } from './entities/alert-state.entity';
import { CounterOfficer } from './entities/counter-officer.entity';
import { CounterProcedure } from './entities/counter-procedure.entity';
import { Counter } from './entities/counter.entity';
import { DailyNumber } from './entities/daily-number.entity';
import { Procedure } from './entities/procedure.entity';
import { Rollover } from './entities/rollover.entity';
import { ServiceNumber } from './entities/service-number.entity';
import { Ticket } from './entities/ticket.entity';
import { ProceduresController } from './procedures.controller';
import { ProceduresService } from './procedures.service';
import { QueueAccessService } from './queue-access.service';
import { QueueAlertsService } from './queue-alerts.service';
import { QueueAnnouncer } from './queue-announcer.service';
import { ClusterQueuePresence } from './cluster-queue-presence';
import { QueuePresence } from './queue-presence';
import { QueueStatsService } from './queue-stats.service';
import { QueueReportsService } from './queue-reports.service';
import { MediaModule } from '../media/media.module';
import { QueueCalendar } from './queue-calendar';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { QueueRolloverService } from './queue-rollover.service';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { QueueDisplayState } from './queue-display-state';
import { QueueController } from './queue.controller';
import { QueueGateway } from './queue.gateway';
import { EspeakSynthesizer } from './speech/espeak.synthesizer';
import { NullSynthesizer } from './speech/null.synthesizer';
import { QueueSpeechService } from './speech/queue-speech.service';
import { SpeechSynthesizer } from './speech/speech-synthesizer';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';
import { QueuePriority } from './queue-priority';

/** The speech engine QUEUE_TTS_ENGINE picks; `auto` uses espeak-ng when it is installed. */
async function speechEngine(config: AppConfig): Promise<SpeechSynthesizer> {
  const mode = QueueConfig.read(config).QUEUE_TTS_ENGINE;
  if (mode === 'none') return new NullSynthesizer();
  const espeak = await EspeakSynthesizer.detect(QueueConfig.read(config).QUEUE_TTS_TIMEOUT_MS);
  // Asked for explicitly but missing: keep it, so each announcement reports a system_error.
  if (mode === 'espeak' || espeak.available) return espeak;
  return new NullSynthesizer();
}

/** The counter queue of seed 002: REST under /api/queue and the /ws/queue gateway. */
@Module({
  imports: [TypeOrmModule.forFeature([Counter, Procedure, CounterProcedure, CounterOfficer, Ticket, DailyNumber, ServiceNumber, Rollover, AlertState]), MediaModule],
  controllers: [CountersController, ProceduresController, TicketsController, QueueController],
  providers: [
    { provide: SpeechSynthesizer, inject: [APP_CONFIG], useFactory: speechEngine },
    QueueCalendar,
    QueueSnapshotsService,
    QueueDisplayState,
    QueueAccessService,
    { provide: QueuePresence, useClass: ClusterQueuePresence },
    QueueAlertsService,
    QueueStatsService,
    QueueReportsService,
    QueueSpeechService,
    QueueAnnouncer,
    CountersService,
    ProceduresService,
    QueuePriority,
    TicketsService,
    AnnouncementsService,
    QueueRolloverService,
    QueueFailureInterceptor,
    QueueGateway,
  ],
  exports: [TicketsService, CountersService],
})
export class QueueModule {}
