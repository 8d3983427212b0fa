import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import './attendance.config';
import './attendance.events';
import { EmployeesModule } from '../employees/employees.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceGateway } from './attendance.gateway';
import { AttendanceService } from './attendance.service';
import { AttendanceClient } from './entities/attendance-client.entity';
import { AttendanceRecognition } from './entities/attendance-recognition.entity';
import { AttendanceRecord } from './entities/attendance-record.entity';
import { AttendanceVisit } from './entities/attendance-visit.entity';

/** Face-recognition attendance of visitors and staff (seed 004). */
@Module({
  imports: [TypeOrmModule.forFeature([AttendanceClient, AttendanceVisit, AttendanceRecord, AttendanceRecognition]), EmployeesModule],
  controllers: [AttendanceController],
  providers: [AttendanceService, AttendanceGateway],
})
export class AttendanceModule {}
