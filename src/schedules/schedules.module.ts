import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeesModule } from '../employees/employees.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Schedule } from './entities/schedule.entity';
import { Shift } from './entities/shift.entity';
import { ScheduleAudit } from './entities/schedule-audit.entity';
import { ScheduleAuditService } from './schedule-audit.service';
import { SchedulesController } from './schedules.controller';
import { SchedulesGateway } from './schedules.gateway';
import { SchedulesService } from './schedules.service';
import { ScheduleChangesService } from './schedule-changes.service';
import { ShiftsController } from './shifts.controller';
import { ShiftsService } from './shifts.service';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';
import './schedules.config';
import './schedules.events';

/** Employee schedules (seed 001): shifts, schedules, system announcements and /ws/schedules. */
@Module({
  imports: [TypeOrmModule.forFeature([Shift, Schedule, ScheduleAudit]), EmployeesModule, NotificationsModule],
  controllers: [ShiftsController, SchedulesController, SystemController],
  providers: [ShiftsService, SchedulesService, ScheduleAuditService, SystemService, SchedulesGateway, ScheduleChangesService],
})
export class SchedulesModule {}
