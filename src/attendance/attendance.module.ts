import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeesModule } from '../employees/employees.module';
import { MediaModule } from '../media/media.module';
import { AttendanceClientsController } from './attendance-clients.controller';
import { AttendanceClientsService } from './attendance-clients.service';
import { AttendanceEmployeesController } from './attendance-employees.controller';
import { AttendanceEmployeesService } from './attendance-employees.service';
import { AttendanceRecognitionsController } from './attendance-recognitions.controller';
import { AttendanceRecognitionsService } from './attendance-recognitions.service';
import { AttendanceRecordsController } from './attendance-records.controller';
import { AttendanceRecordsService } from './attendance-records.service';
import { AttendanceGateway } from './attendance.gateway';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceImagesController } from './attendance-images.controller';
import { AttendanceClient } from './entities/attendance-client.entity';
import { AttendanceRecognition } from './entities/attendance-recognition.entity';
import { AttendanceRecord } from './entities/attendance-record.entity';
import { AttendanceVisit } from './entities/attendance-visit.entity';
import { AttendanceRetentionRun } from './entities/attendance-retention-run.entity';
import { AttendanceReview } from './entities/attendance-review.entity';
import { AttendanceRetentionService } from './attendance-retention.service';
import { AttendanceShiftsService } from './attendance-shifts.service';
import { AttendanceRetentionController } from './attendance-retention.controller';
import { AttendanceReviewsController } from './attendance-reviews.controller';
import { AttendanceReviewsService } from './attendance-reviews.service';
import './attendance.config';
import './attendance.events';

/** Face-recognition attendance (seed 004): visitors and their visits, staff clock-ins, and /ws/attendance. */
@Module({
  imports: [TypeOrmModule.forFeature([AttendanceClient, AttendanceVisit, AttendanceRecord, AttendanceRecognition, AttendanceRetentionRun, AttendanceReview]), EmployeesModule, MediaModule],
  controllers: [
    AttendanceImagesController,
    AttendanceClientsController,
    AttendanceRecordsController,
    AttendanceRecognitionsController,
    AttendanceEmployeesController,
    AttendanceReviewsController,
    AttendanceRetentionController,
  ],
  providers: [
    AttendanceImageUrls,
    AttendanceClientsService,
    AttendanceRecognitionsService,
    AttendanceRecordsService,
    AttendanceEmployeesService,
    AttendanceGateway,
    AttendanceRetentionService,
    AttendanceReviewsService,
    AttendanceShiftsService,
  ],
})
export class AttendanceModule {}
