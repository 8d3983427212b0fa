import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CheckInsService } from './check-ins.service';
import { CheckinTickets } from './checkin-tickets';
import { DashboardGateway } from './dashboard.gateway';
import { CheckIn } from './entities/check-in.entity';
import { EventRegistration } from './entities/event-registration.entity';
import { EventSession } from './entities/event-session.entity';
import { EventSessionsController } from './event-sessions.controller';
import { EventSessionsService } from './event-sessions.service';
import './checkin.config';
import './checkin.events';

/** Event check-in (seed 003): sessions, registrations, check-ins and /ws/dashboard/:sessionId. */
@Module({
  imports: [TypeOrmModule.forFeature([EventSession, EventRegistration, CheckIn])],
  controllers: [EventSessionsController],
  providers: [CheckinTickets, EventSessionsService, CheckInsService, DashboardGateway],
})
export class CheckinModule {}
