import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Employee } from '../../employees/entities/employee.entity';

/** An employee recognised at a door (clock-in/out), with the camera's match score. */
@Entity('attendance_records')
@Index('IDX_attendance_records_employee_datetime', ['employeeId', 'datetime'])
@Index('IDX_attendance_records_datetime', ['datetime'])
@Index('IDX_attendance_records_created', ['createdAt'])
@Index('UQ_attendance_records_event', ['source', 'eventId'], { unique: true, where: '"event_id" IS NOT NULL' })
export class AttendanceRecord {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_attendance_records' })
  id: number;

  @Column({ name: 'employee_id', type: 'integer' })
  employeeId: number;

  @ManyToOne(() => Employee, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'FK_attendance_records_employee' })
  employee?: Employee;

  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  @Column({ type: 'timestamptz' })
  datetime: Date;

  @Column({ type: 'double precision' })
  score: number;

  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  /** Who posted it (`device:<id>` or `user:<id>`): event ids are the sender's own. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  source: string | null;

  /** The camera's id for this sighting: a retry with the same id returns the first record. */
  @Column({ name: 'event_id', type: 'varchar', length: 200, nullable: true })
  eventId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
