import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { conflict, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { CreateShiftDto, ShiftDto, UpdateShiftDto } from './dto/shift.dto';
import { Schedule } from './entities/schedule.entity';
import { Shift } from './entities/shift.entity';
import { normalizeTime } from '../common/calendar';

export function shiftView(s: Shift): ShiftDto {
  return {
    id: s.id,
    name: s.name,
    start_time: normalizeTime(s.startTime),
    end_time: normalizeTime(s.endTime),
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

/**
 * The shift catalogue. Shifts carry no frames of their own: the protocol
 * announces schedules, and a schedule's frame shows its shift as of the change.
 */
@Injectable()
export class ShiftsService {
  constructor(@InjectRepository(Shift) private readonly shifts: Repository<Shift>) {}

  list(): Promise<Shift[]> {
    return this.shifts.find({ order: { startTime: 'ASC', id: 'ASC' } });
  }

  async get(id: number, tx?: EntityManager): Promise<Shift> {
    const s = await (tx ? tx.getRepository(Shift) : this.shifts).findOne({ where: { id } });
    if (!s) throw notFound('Shift');
    return s;
  }

  create(dto: CreateShiftDto): Promise<Shift> {
    return this.shifts.save(this.shifts.create({ name: plainText(dto.name, 100), startTime: normalizeTime(dto.start_time), endTime: normalizeTime(dto.end_time) }));
  }

  /**
   * Changing a shift's times does not re-check the schedules that use it: the
   * overlap rule guards each schedule as it is planned.
   */
  async update(id: number, dto: UpdateShiftDto): Promise<Shift> {
    const s = await this.get(id);
    if (dto.name !== undefined) s.name = plainText(dto.name, 100);
    if (dto.start_time !== undefined) s.startTime = normalizeTime(dto.start_time);
    if (dto.end_time !== undefined) s.endTime = normalizeTime(dto.end_time);
    return this.shifts.save(s);
  }

  async remove(id: number): Promise<void> {
    await this.shifts.manager.transaction(async (tx) => {
      await this.get(id, tx);
      if (await tx.getRepository(Schedule).exists({ where: { shiftId: id } })) throw conflict('The shift is used by schedules; delete or move them first');
      try {
        await tx.getRepository(Shift).delete({ id });
      } catch (err) {
        // A schedule planned for this shift in the meantime.
        if ((err as { code?: string }).code === '23503') throw conflict('The shift is used by schedules; delete or move them first');
        throw err;
      }
    });
  }
}
