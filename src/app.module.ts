import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { DatabaseModule } from './database/database.module';
import { IdempotencyModule } from './common/idempotency.module';
import { AuthModule } from './auth/auth.module';
import { RealtimeModule } from './realtime/realtime.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { EmployeesModule } from './employees/employees.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SchedulesModule } from './schedules/schedules.module';
import { QueueModule } from './queue/queue.module';
import { BellsModule } from './bells/bells.module';
import { MediaModule } from './media/media.module';
import { AttendanceModule } from './attendance/attendance.module';
import { ChatModule } from './chat/chat.module';
import { CheckinModule } from './checkin/checkin.module';
import { AsyncApiModule } from './asyncapi/asyncapi.module';
import { ConsoleModule } from './console/console.module';

export interface AppModuleOptions {
  clock?: Clock;
  /** Extra modules (tests mount a test gateway this way). */
  modules?: Array<Type | DynamicModule>;
}

/** Wires the modules; nothing else. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        ScheduleModule.forRoot(),
        DatabaseModule,
        IdempotencyModule,
        RealtimeModule,
        AuthModule,
        EmployeesModule,
        NotificationsModule,
        SchedulesModule,
        QueueModule,
        BellsModule,
        MediaModule,
        AttendanceModule,
        ChatModule,
        CheckinModule,
        AsyncApiModule,
        ConsoleModule.forRoot(),
        ...(options.modules ?? []),
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
