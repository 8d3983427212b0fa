import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * A visitor the cameras recognise. first_seen, last_seen and visit_count are
 * kept from its visits in the same transaction that changes them.
 */
@Entity('attendance_clients')
export class AttendanceClient {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_attendance_clients' })
  id: number;

  @Column({ type: 'varchar', length: 10, default: 'unknown' })
  gender: Gender;

  @Column({ type: 'integer', nullable: true })
  age: number | null;

  /** Stored media path (MediaStorage), rendered as an absolute URL. */
  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  /** false: the person has not agreed to their face being kept; no image is stored for them. */
  @Column({ type: 'boolean', default: true })
  consent: boolean;

  @Column({ name: 'first_seen', type: 'timestamptz', nullable: true })
  firstSeen: Date | null;

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  @Column({ name: 'visit_count', type: 'integer', default: 0 })
  visitCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
