import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AttendanceClient } from './attendance-client.entity';

/** One time a client was seen (by a camera, or entered by hand). */
@Entity('attendance_visits')
@Index('IDX_attendance_visits_client_datetime', ['clientId', 'datetime'])
export class AttendanceVisit {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_attendance_visits' })
  id: number;

  @Column({ name: 'client_id', type: 'integer' })
  clientId: number;

  @ManyToOne(() => AttendanceClient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'FK_attendance_visits_client' })
  client?: AttendanceClient;

  @Column({ type: 'timestamptz' })
  datetime: Date;

  /** The camera's own id for itself, as sent (a string in frames). */
  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  /** The face the camera captured for this visit, if any. */
  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
