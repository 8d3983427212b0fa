import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { conflict, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { User } from '../auth/entities/user.entity';
import { CreateEmployeeDto, UpdateEmployeeDto } from './dto/employee.dto';
import { Employee } from './entities/employee.entity';
import { EmployeeSnapshot } from './employees.events';

export function employeeSnapshot(e: Employee): EmployeeSnapshot {
  return {
    id: e.id,
    first_name: e.firstName,
    last_name: e.lastName,
    name: `${e.firstName} ${e.lastName}`.trim(),
    email: e.email,
    phone_number: e.phoneNumber,
    job_role: e.jobRole,
    user_id: e.userId,
    working_graphic: e.workingGraphic,
    image_path: e.imagePath,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

const FIELDS: Array<[keyof UpdateEmployeeDto, keyof Employee]> = [
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['email', 'email'],
  ['phone_number', 'phoneNumber'],
  ['job_role', 'jobRole'],
  ['user_id', 'userId'],
  ['working_graphic', 'workingGraphic'],
];

/** Employees shared by schedules and attendance; every change is announced once committed. */
@Injectable()
export class EmployeesService {
  constructor(
    @InjectRepository(Employee) private readonly employees: Repository<Employee>,
    private readonly uow: UnitOfWork,
  ) {}

  list(): Promise<Employee[]> {
    return this.employees.find({ order: { id: 'ASC' } });
  }

  async get(id: number, tx?: EntityManager): Promise<Employee> {
    const e = await (tx ? tx.getRepository(Employee) : this.employees).findOne({ where: { id } });
    if (!e) throw notFound('Employee');
    return e;
  }

  findByUser(userId: string): Promise<Employee | null> {
    return this.employees.findOne({ where: { userId } });
  }

  create(dto: CreateEmployeeDto): Promise<Employee> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(Employee);
      if (dto.user_id) await this.checkUser(tx, dto.user_id, null);
      const saved = await repo.save(
        repo.create({
          firstName: plainText(dto.first_name, 100),
          lastName: plainText(dto.last_name, 100),
          email: dto.email ?? null,
          phoneNumber: dto.phone_number != null ? plainText(dto.phone_number, 40) : null,
          jobRole: plainText(dto.job_role ?? '', 100),
          userId: dto.user_id ?? null,
          workingGraphic: dto.working_graphic ?? null,
          imagePath: null,
        }),
      );
      events.publish('employees.created', { employee: employeeSnapshot(saved) });
      return saved;
    });
  }

  update(id: number, dto: UpdateEmployeeDto): Promise<Employee> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(Employee);
      const e = await this.get(id, tx);
      if (dto.user_id) await this.checkUser(tx, dto.user_id, id);
      const before = employeeSnapshot(e);
      for (const [dtoKey, entityKey] of FIELDS) {
        const value = dto[dtoKey];
        if (value === undefined) continue;
        const clean = typeof value === 'string' && dtoKey !== 'email' && dtoKey !== 'user_id' ? plainText(value, 100) : value;
        (e as unknown as Record<string, unknown>)[entityKey] = clean;
      }
      const saved = await repo.save(e);
      const after = employeeSnapshot(saved);
      events.publish('employees.updated', { employee: after, changes: diff(before, after) });
      return saved;
    });
  }

  /** Sets the stored photo path (attendance uploads it). */
  setImage(id: number, imagePath: string | null): Promise<Employee> {
    return this.uow.run(async (tx, events) => {
      const e = await this.get(id, tx);
      const before = employeeSnapshot(e);
      e.imagePath = imagePath;
      const saved = await tx.getRepository(Employee).save(e);
      const after = employeeSnapshot(saved);
      events.publish('employees.updated', { employee: after, changes: diff(before, after) });
      return saved;
    });
  }

  remove(id: number): Promise<void> {
    return this.uow.run(async (tx, events) => {
      const e = await this.get(id, tx);
      const snapshot = employeeSnapshot(e);
      await tx.getRepository(Employee).delete({ id });
      events.publish('employees.deleted', { employee: snapshot });
    });
  }

  private async checkUser(tx: EntityManager, userId: string, employeeId: number | null): Promise<void> {
    if (!(await tx.getRepository(User).exists({ where: { id: userId } }))) throw notFound('User');
    const other = await tx.getRepository(Employee).findOne({ where: { userId } });
    if (other && other.id !== employeeId) throw conflict('That user is already linked to another employee');
  }
}

function diff(before: EmployeeSnapshot, after: EmployeeSnapshot): Record<string, { old: unknown; new: unknown }> {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof EmployeeSnapshot>) {
    if (key === 'updated_at' || key === 'name') continue;
    if (before[key] !== after[key]) changes[key] = { old: before[key], new: after[key] };
  }
  return changes;
}
