import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { badRequest } from '../common/app-error';
import { Broadcaster } from '../realtime/broadcaster';
import { BellState, BellSystemState } from './entities/bell-state.entity';
import { BellsLog } from './bells-log.service';

/** Active or paused; a row, so it survives restarts and is shared by instances. */
@Injectable()
export class BellsStateService {
  constructor(
    @InjectRepository(BellState) private readonly states: Repository<BellState>,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
  ) {}

  async get(): Promise<BellSystemState> {
    return (await this.states.findOne({ where: { id: 1 } }))?.state ?? 'active';
  }

  async set(state: string): Promise<BellSystemState> {
    if (state !== 'active' && state !== 'paused') throw badRequest('state must be "active" or "paused"', { field: 'state' });
    const previous = await this.get();
    await this.states.upsert({ id: 1, state }, ['id']);
    if (previous !== state) {
      this.broadcaster.publish('bells.state_changed', { state });
      this.log.info('state', state === 'paused' ? 'Scheduled bells paused' : 'Scheduled bells resumed');
    }
    return state;
  }
}
