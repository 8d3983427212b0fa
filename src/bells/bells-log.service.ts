import { Injectable, Logger } from '@nestjs/common';
import { Broadcaster } from '../realtime/broadcaster';
import { BellsLogEntry } from './bells.events';

/** Bell components log here: to the process log, and as `system_log` to admin connections. */
@Injectable()
export class BellsLog {
  private readonly logger = new Logger('Bells');

  constructor(private readonly broadcaster: Broadcaster) {}

  info(source: string, message: string): void {
    this.write({ level: 'info', source, message });
  }

  warning(source: string, message: string): void {
    this.write({ level: 'warning', source, message });
  }

  error(source: string, message: string): void {
    this.write({ level: 'error', source, message });
  }

  private write(entry: BellsLogEntry): void {
    const line = { msg: entry.message, source: entry.source };
    if (entry.level === 'error') this.logger.error(line);
    else if (entry.level === 'warning') this.logger.warn(line);
    else this.logger.log(line);
    this.broadcaster.publish('bells.system_log', entry);
  }
}
