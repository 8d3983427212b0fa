import { MigrationInterface, QueryRunner } from 'typeorm';

/** The schedule audit log (who changed which schedule, when, from what to what) and draft schedules. */
export class ScheduleAudit1796600000002 implements MigrationInterface {
  name = 'ScheduleAudit1796600000002';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "schedule_audit" (
        "id" SERIAL NOT NULL,
        "schedule_id" integer NOT NULL,
        "action" character varying(10) NOT NULL,
        "employee_id" integer NOT NULL,
        "previous_employee_id" integer,
        "actor_id" uuid,
        "actor_name" character varying(200) NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "before" jsonb,
        "after" jsonb,
        "reason" text,
        CONSTRAINT "PK_schedule_audit" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_schedule_audit_schedule" ON "schedule_audit" ("schedule_id", "at")`);
    await q.query(`CREATE INDEX "IDX_schedule_audit_at" ON "schedule_audit" ("at")`);
    await q.query(`ALTER TABLE "schedules" ADD "published" boolean NOT NULL DEFAULT true`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "schedules" DROP COLUMN "published"`);
    await q.query(`DROP TABLE "schedule_audit"`);
  }
}
