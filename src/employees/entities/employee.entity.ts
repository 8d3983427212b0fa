import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';

/** A member of staff; shared by schedules (shifts) and attendance (face recognition). */
@Entity('employees')
export class Employee {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ name: 'phone_number', type: 'varchar', length: 40, nullable: true })
  phoneNumber: string | null;

  /** The job role (e.g. "server", "nurse"), not the login role. */
  @Column({ name: 'job_role', type: 'varchar', length: 100, default: '' })
  jobRole: string;

  /** The sign-in account of this employee, when there is one. */
  @Index('UQ_employees_user', { unique: true, where: '"user_id" IS NOT NULL' })
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_employees_user' })
  user?: User | null;

  /** Work pattern id used by attendance clients (seed 004). */
  @Column({ name: 'working_graphic', type: 'integer', nullable: true })
  workingGraphic: number | null;

  /** Stored media path of the employee's photo, if any. */
  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
