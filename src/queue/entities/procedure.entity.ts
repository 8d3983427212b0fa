import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A kind of service a visitor comes for, with the time it usually takes. */
@Entity('queue_procedures')
export class Procedure {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('UQ_queue_procedures_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  /**
   * Letter(s) shown before the number (`A` → `A012`); tickets of a service
   * with a prefix are numbered per service per day, whichever counter serves them.
   */
  @Index('UQ_queue_procedures_prefix', { unique: true, where: '"prefix" IS NOT NULL' })
  @Column({ type: 'varchar', length: 4, nullable: true })
  prefix: string | null;

  /** Minutes; the estimate's fallback until a counter has measured service times. */
  @Column({ name: 'average_service_time', type: 'integer' })
  averageServiceTime: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
