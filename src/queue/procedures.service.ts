import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest, conflict, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { Clock } from '../common/clock';
import { CreateProcedureDto, ProcedureDto, UpdateProcedureDto } from './dto/procedure.dto';
import { Procedure } from './entities/procedure.entity';
import { isRowId } from './queue-sql';

/** Procedures (kinds of service) and their average service time, the estimate's fallback. */
@Injectable()
export class ProceduresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Procedure);
  }

  async list(): Promise<ProcedureDto[]> {
    return (await this.repo.find({ order: { id: 'ASC' } })).map(ProcedureDto.of);
  }

  async get(id: number): Promise<ProcedureDto> {
    return ProcedureDto.of(await this.find(id));
  }

  async create(dto: CreateProcedureDto): Promise<ProcedureDto> {
    const name = this.name(dto.name);
    await this.assertNameFree(name, null);
    await this.assertPrefixFree(dto.prefix ?? null, null);
    return ProcedureDto.of(await this.repo.save(this.repo.create({ name, averageServiceTime: dto.average_service_time, prefix: dto.prefix ?? null })));
  }

  async update(id: number, dto: UpdateProcedureDto): Promise<ProcedureDto> {
    const p = await this.find(id);
    if (dto.name !== undefined) {
      p.name = this.name(dto.name);
      await this.assertNameFree(p.name, id);
    }
    if (dto.average_service_time !== undefined) p.averageServiceTime = dto.average_service_time;
    if (dto.prefix !== undefined) {
      await this.assertPrefixFree(dto.prefix, id);
      p.prefix = dto.prefix;
    }
    return ProcedureDto.of(await this.repo.save(p));
  }

  /** Tickets keep the procedure's name; counters stop serving it; its pooled tickets still waiting expire (no counter could call them). */
  async remove(id: number): Promise<void> {
    const p = await this.find(id);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE queue_tickets SET status = 'expired', finished_at = $2 WHERE procedure_id = $1 AND counter_id IS NULL AND status = 'waiting'`, [id, this.clock.date()]);
      await tx.getRepository(Procedure).remove(p);
    });
  }

  private async find(id: number): Promise<Procedure> {
    if (!isRowId(id)) throw notFound('Procedure');
    const p = await this.repo.findOne({ where: { id } });
    if (!p) throw notFound('Procedure');
    return p;
  }

  private name(raw: string): string {
    const name = plainText(raw, 200);
    if (!name) throw badRequest('name must contain text');
    return name;
  }

  private async assertPrefixFree(prefix: string | null, exceptId: number | null): Promise<void> {
    if (prefix === null) return;
    const same = await this.repo
      .createQueryBuilder('p')
      .where('p.prefix = :prefix', { prefix })
      .andWhere(exceptId === null ? '1=1' : 'p.id <> :id', { id: exceptId })
      .getCount();
    if (same) throw conflict('Another service has this prefix');
  }

  private async assertNameFree(name: string, exceptId: number | null): Promise<void> {
    const same = await this.repo
      .createQueryBuilder('p')
      .where('lower(p.name) = lower(:name)', { name })
      .andWhere(exceptId === null ? '1=1' : 'p.id <> :id', { id: exceptId })
      .getCount();
    if (same) throw conflict('A procedure with this name already exists');
  }
}
