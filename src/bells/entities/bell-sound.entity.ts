import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An audio file players ring; stored under MEDIA_DIR/bells, cached by players by checksum. */
@Entity('bell_sounds')
export class BellSound {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Generated file name under MEDIA_DIR/bells. */
  @Column({ name: 'file_name', type: 'varchar', length: 100 })
  fileName: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 50 })
  mimeType: string;

  @Column({ type: 'integer' })
  size: number;

  /** sha256 hex of the bytes; the download's ETag. */
  @Column({ type: 'varchar', length: 64 })
  checksum: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
