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
import { ScheduleRulesRow } from './entities/schedule-rules.entity';
import { EmployeeAvailability } from './entities/availability.entity';
import { TimeOffRequest } from './entities/time-off.entity';
import { OpenShift } from './entities/open-shift.entity';
import { ShiftRequest } from './entities/shift-request.entity';
import { ScheduleRulesService } from './schedule-rules.service';
import { PlanningNotices } from './planning-notices.service';
import { AvailabilityService } from './availability.service';
import { ShiftRequestsService } from './shift-requests.service';
import { OpenShiftsService } from './open-shifts.service';
import { AutoFillService } from './auto-fill.service';
import { AvailabilityController, ShiftRequestsController } from './planning.controller';
import './schedules.config';
import './schedules.events';

/** Employee schedules (seed 001): shifts, schedules, system announcements and /ws/schedules. */
@Module({
  imports: [TypeOrmModule.forFeature([Shift, Schedule, ScheduleAudit, ScheduleRulesRow, EmployeeAvailability, TimeOffRequest, OpenShift, ShiftRequest]), EmployeesModule, NotificationsModule],
  controllers: [ShiftsController, SchedulesController, AvailabilityController, ShiftRequestsController, SystemController],
  providers: [
    ShiftsService,
    SchedulesService,
    ScheduleAuditService,
    ScheduleRulesService,
    PlanningNotices,
    AvailabilityService,
    ShiftRequestsService,
    OpenShiftsService,
    AutoFillService,
    SystemService,
    SchedulesGateway,
    ScheduleChangesService,
  ],
})
export class SchedulesModule {}
