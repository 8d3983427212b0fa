import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A request that must act at most once: its owner (the principal), its key
 * (namespaced: `http:<Idempotency-Key>`, `chat:<conversation>:<client_message_id>`,
 * `queue.ticket:<request_id>`), a hash of what was asked, and once done what
 * was answered. The primary key is what makes two concurrent requests with
 * one key act once, across instances.
 */
@Entity('idempotency_keys')
@Index('IDX_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 120, primaryKeyConstraintName: 'PK_idempotency_keys' })
  owner: string;

  @PrimaryColumn({ type: 'varchar', length: 400, primaryKeyConstraintName: 'PK_idempotency_keys' })
  key: string;

  /** sha256 hex of the request: a retry must ask for the same thing. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  /** `pending` while the first request runs, `done` once its result is stored. */
  @Column({ type: 'varchar', length: 10 })
  state: 'pending' | 'done';

  /** The HTTP status of the first response (REST only). */
  @Column({ type: 'integer', nullable: true })
  status: number | null;

  /** The first result as JSON text, kept as text so a replay is byte for byte the first body. */
  @Column({ type: 'text', nullable: true })
  result: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
