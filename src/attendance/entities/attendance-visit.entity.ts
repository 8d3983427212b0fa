import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AttendanceClient } from './attendance-client.entity';

/** One visit of a client, seen by a camera. */
@Entity('attendance_visits')
@Index('IDX_attendance_visits_client_time', ['clientId', 'datetime'])
export class AttendanceVisit {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'client_id', type: 'integer' })
  clientId: number;

  @ManyToOne(() => AttendanceClient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'FK_attendance_visits_client' })
  client?: AttendanceClient;

  @Column({ type: 'timestamptz' })
  datetime: Date;

  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
