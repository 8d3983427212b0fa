import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Services with letter prefixes and pooled queues, priority classes, no-show
 * recalls, postponing and transfer notes. Existing tickets keep their place:
 * their position is their creation time and their display number their number.
 */
export class QueueServicesPriority1796800000000 implements MigrationInterface {
  name = 'QueueServicesPriority1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "queue_procedures" ADD "prefix" character varying(4)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_queue_procedures_prefix" ON "queue_procedures" ("prefix") WHERE "prefix" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "queue_service_numbers" (
        "procedure_id" integer NOT NULL,
        "day" date NOT NULL,
        "last_number" integer NOT NULL,
        CONSTRAINT "PK_queue_service_numbers" PRIMARY KEY ("procedure_id", "day")
      )`);
    await queryRunner.query(
      `ALTER TABLE "queue_service_numbers" ADD CONSTRAINT "FK_queue_service_numbers_procedure" FOREIGN KEY ("procedure_id") REFERENCES "queue_procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "queue_tickets" ALTER COLUMN "counter_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "pooled" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "display_number" character varying(16)`);
    await queryRunner.query(`UPDATE "queue_tickets" SET "display_number" = "number"::text`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ALTER COLUMN "display_number" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "priority_class" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "position" double precision`);
    await queryRunner.query(`UPDATE "queue_tickets" SET "position" = extract(epoch FROM "created_at") * 1000`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ALTER COLUMN "position" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "no_show_recalls" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "queue_tickets" ADD "note" character varying(500)`);
    await queryRunner.query(`CREATE INDEX "IDX_queue_tickets_pool" ON "queue_tickets" ("procedure_id", "day", "status")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_queue_tickets_pool"`);
    await queryRunner.query(`DELETE FROM "queue_tickets" WHERE "counter_id" IS NULL`);
    for (const column of ['note', 'no_show_recalls', 'position', 'priority_class', 'display_number', 'pooled']) {
      await queryRunner.query(`ALTER TABLE "queue_tickets" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`ALTER TABLE "queue_tickets" ALTER COLUMN "counter_id" SET NOT NULL`);
    await queryRunner.query(`DROP TABLE "queue_service_numbers"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_queue_procedures_prefix"`);
    await queryRunner.query(`ALTER TABLE "queue_procedures" DROP COLUMN "prefix"`);
  }
}
