import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A camera's recognition event id, so a retried upload is counted once. */
@Entity('attendance_recognitions')
@Index('UQ_attendance_recognitions_event', ['deviceKey', 'eventId'], { unique: true })
export class AttendanceRecognition {
  @PrimaryGeneratedColumn()
  id: number;

  /** The principal that posted it (the camera device's id). */
  @Column({ name: 'device_key', type: 'varchar', length: 100 })
  deviceKey: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200 })
  eventId: string;

  @Column({ name: 'client_id', type: 'integer', nullable: true })
  clientId: number | null;

  @Column({ name: 'visit_id', type: 'integer', nullable: true })
  visitId: number | null;

  @Column({ name: 'created_client', type: 'boolean', default: false })
  createdClient: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
