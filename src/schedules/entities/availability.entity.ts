import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Employee } from '../../employees/entities/employee.entity';

/** A weekly window an employee can work; an employee with none is available any time. */
@Entity('employee_availability')
@Index('IDX_employee_availability_employee', ['employeeId'])
export class EmployeeAvailability {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_employee_availability' })
  id: number;

  @Column({ name: 'employee_id', type: 'integer' })
  employeeId: number;

  @ManyToOne(() => Employee, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'FK_employee_availability_employee' })
  employee?: Employee;

  /** 0 = Sunday … 6 = Saturday. */
  @Column({ type: 'smallint' })
  weekday: number;

  @Column({ name: 'start_time', type: 'time' })
  startTime: string;

  /** At or before the start: the window runs into the next day. */
  @Column({ name: 'end_time', type: 'time' })
  endTime: string;

  /** Hours the employee would rather work; auto-fill favours them. */
  @Column({ type: 'boolean', default: false })
  preferred: boolean;
}
