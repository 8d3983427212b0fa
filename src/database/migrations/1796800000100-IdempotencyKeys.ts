import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1796800000100 implements MigrationInterface {
  name = 'IdempotencyKeys1796800000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "owner" character varying(120) NOT NULL,
        "key" character varying(400) NOT NULL,
        "fingerprint" character varying(64) NOT NULL,
        "state" character varying(10) NOT NULL,
        "status" integer,
        "result" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("owner", "key")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_idempotency_keys_expires_at" ON "idempotency_keys" ("expires_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
