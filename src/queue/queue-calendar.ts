import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { localDate, startOfNextDay } from '../common/calendar';
import { Clock } from '../common/clock';
import { QueueConfig } from './queue.config';

/** The office's local days in QUEUE_TIMEZONE, read from the injected clock. */
@Injectable()
export class QueueCalendar {
  readonly zone: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.zone = QueueConfig.read(config).QUEUE_TIMEZONE;
  }

  /** Today's local date, `YYYY-MM-DD`. */
  today(): string {
    return this.dayOf(this.clock.now());
  }

  dayOf(epochMs: number): string {
    return localDate(epochMs, this.zone);
  }

  /** Epoch ms of the next local midnight after `epochMs` (DST-safe: start of the next local day). */
  nextMidnight(epochMs: number = this.clock.now()): number {
    return startOfNextDay(epochMs, this.zone);
  }
}
