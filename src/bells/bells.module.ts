import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import './bells.config';
import './bells.events';
import { BellSchedulesService } from './bell-schedules.service';
import { BellSoundsService } from './bell-sounds.service';
import { MediaModule } from '../media/media.module';
import { BellsController } from './bells.controller';
import { BellsGateway } from './bells.gateway';
import { BellsLog } from './bells-log.service';
import { BellsPlanLoader } from './bells-plan.loader';
import { BellsScheduler } from './bells-scheduler.service';
import { BellsService } from './bells.service';
import { BellsStateService } from './bells-state.service';
import { BellCancellation } from './entities/bell-cancellation.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellRing } from './entities/bell-ring.entity';
import { BellScheduleItem } from './entities/bell-schedule-item.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { BellSound } from './entities/bell-sound.entity';
import { BellState } from './entities/bell-state.entity';
import { BellDayOverride } from './entities/bell-day-override.entity';
import { BellDayType } from './entities/bell-day-type.entity';
import { BellDelivery } from './entities/bell-delivery.entity';
import { BellPlayer } from './entities/bell-player.entity';
import { BellsPlayersService } from './bells-players.service';

/** The school bell system of seed 000. */
@Module({
  imports: [
    TypeOrmModule.forFeature([BellSound, BellSchedule, BellScheduleItem, BellRing, BellCancellation, BellHoliday, BellState, BellDayType, BellDayOverride, BellPlayer, BellDelivery]),
    MediaModule,
  ],
  controllers: [BellsController],
  providers: [BellsLog, BellSoundsService, BellSchedulesService, BellsPlanLoader, BellsStateService, BellsPlayersService, BellsService, BellsScheduler, BellsGateway],
  exports: [BellsScheduler],
})
export class BellsModule {}
