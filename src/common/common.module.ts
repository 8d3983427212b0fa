import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { ClockJobs } from './clock-job';

/** Process-wide helpers: the injected clock and the jobs it drives. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: CommonModule, providers: [{ provide: Clock, useValue: clock }, ClockJobs], exports: [Clock, ClockJobs] };
  }
}
