import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a client rebuilding its view asks "what changed since T": a database
 * timestamp on every change (notifications read, check-ins undone, rings
 * logged), and tombstones for rows that disappear. Tombstones are written by
 * triggers, so every way a row goes (a delete, a cascade from its employee or
 * user, retention) leaves one; a schedule moved to another employee leaves
 * one for the employee who no longer sees it.
 */
export class ChangeFeeds1796700000517 implements MigrationInterface {
  name = 'ChangeFeeds1796700000517';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "tombstones" (
        "id" BIGSERIAL NOT NULL,
        "entity" character varying(40) NOT NULL,
        "entity_id" character varying(64) NOT NULL,
        "scope" character varying(64),
        "deleted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tombstones" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_tombstones_entity_deleted" ON "tombstones" ("entity", "deleted_at")`);
    await q.query(`
      CREATE FUNCTION "record_tombstone"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_row jsonb := to_jsonb(OLD);
      BEGIN
        INSERT INTO "tombstones" ("entity", "entity_id", "scope")
        VALUES (TG_ARGV[0], old_row ->> TG_ARGV[1], CASE WHEN TG_NARGS > 2 THEN old_row ->> TG_ARGV[2] END);
        RETURN NULL;
      END
      $$
    `);
    await q.query(`CREATE TRIGGER "schedules_tombstone" AFTER DELETE ON "schedules" FOR EACH ROW EXECUTE FUNCTION "record_tombstone"('schedule', 'id', 'employee_id')`);
    await q.query(`
      CREATE TRIGGER "schedules_moved_tombstone" AFTER UPDATE OF "employee_id" ON "schedules" FOR EACH ROW
      WHEN (OLD."employee_id" IS DISTINCT FROM NEW."employee_id") EXECUTE FUNCTION "record_tombstone"('schedule', 'id', 'employee_id')
    `);
    await q.query(`CREATE TRIGGER "notifications_tombstone" AFTER DELETE ON "notifications" FOR EACH ROW EXECUTE FUNCTION "record_tombstone"('notification', 'id', 'user_id')`);
    await q.query(`CREATE TRIGGER "attendance_records_tombstone" AFTER DELETE ON "attendance_records" FOR EACH ROW EXECUTE FUNCTION "record_tombstone"('attendance_record', 'id')`);

    await q.query(`ALTER TABLE "notifications" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`UPDATE "notifications" SET "updated_at" = COALESCE("read_at", "created_at")`);
    await q.query(`CREATE INDEX "IDX_notifications_user_updated" ON "notifications" ("user_id", "updated_at")`);

    await q.query(`ALTER TABLE "event_checkins" ADD "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`UPDATE "event_checkins" SET "changed_at" = COALESCE("undone_at", "attempted_at")`);
    await q.query(`CREATE INDEX "IDX_event_checkins_session_changed" ON "event_checkins" ("session_id", "changed_at")`);

    await q.query(`ALTER TABLE "bell_rings" ADD "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`UPDATE "bell_rings" SET "recorded_at" = "at"`);
    await q.query(`CREATE INDEX "IDX_bell_rings_recorded" ON "bell_rings" ("recorded_at")`);

    await q.query(`CREATE INDEX "IDX_schedules_updated" ON "schedules" ("updated_at")`);
    await q.query(`CREATE INDEX "IDX_attendance_records_created" ON "attendance_records" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_attendance_records_created"`);
    await q.query(`DROP INDEX "public"."IDX_schedules_updated"`);
    await q.query(`DROP INDEX "public"."IDX_bell_rings_recorded"`);
    await q.query(`ALTER TABLE "bell_rings" DROP COLUMN "recorded_at"`);
    await q.query(`DROP INDEX "public"."IDX_event_checkins_session_changed"`);
    await q.query(`ALTER TABLE "event_checkins" DROP COLUMN "changed_at"`);
    await q.query(`DROP INDEX "public"."IDX_notifications_user_updated"`);
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "updated_at"`);
    await q.query(`DROP TRIGGER "attendance_records_tombstone" ON "attendance_records"`);
    await q.query(`DROP TRIGGER "notifications_tombstone" ON "notifications"`);
    await q.query(`DROP TRIGGER "schedules_moved_tombstone" ON "schedules"`);
    await q.query(`DROP TRIGGER "schedules_tombstone" ON "schedules"`);
    await q.query(`DROP FUNCTION "record_tombstone"()`);
    await q.query(`DROP TABLE "tombstones"`);
  }
}
