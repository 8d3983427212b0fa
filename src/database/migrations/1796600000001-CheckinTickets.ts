import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guests without accounts (registrations keyed by an attendee id, which is
 * the user id for users), session capacity, offline-tolerant ticket scans
 * (a scan id applied once) and undone check-ins.
 */
export class CheckinTickets1796600000001 implements MigrationInterface {
  name = 'CheckinTickets1796600000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "event_sessions" ADD "capacity" integer`);
    await q.query(`ALTER TABLE "event_registrations" ADD "attendee_id" uuid`);
    await q.query(`UPDATE "event_registrations" SET "attendee_id" = "user_id"`);
    await q.query(`ALTER TABLE "event_registrations" ALTER COLUMN "attendee_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "event_registrations" DROP CONSTRAINT "PK_event_registrations"`);
    await q.query(`ALTER TABLE "event_registrations" ADD CONSTRAINT "PK_event_registrations" PRIMARY KEY ("session_id", "attendee_id")`);
    await q.query(`ALTER TABLE "event_registrations" ALTER COLUMN "user_id" DROP NOT NULL`);
    await q.query(`ALTER TABLE "event_registrations" ADD "guest_name" character varying(200)`);
    await q.query(`ALTER TABLE "event_registrations" ADD "guest_email" character varying(254)`);
    await q.query(`ALTER TABLE "event_checkins" ADD "scan_id" uuid`);
    await q.query(`ALTER TABLE "event_checkins" ADD "undone_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "event_checkins" ADD "undone_by" character varying(200)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_event_checkins_scan" ON "event_checkins" ("session_id", "scan_id") WHERE "scan_id" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."UQ_event_checkins_scan"`);
    await q.query(`ALTER TABLE "event_checkins" DROP COLUMN "undone_by"`);
    await q.query(`ALTER TABLE "event_checkins" DROP COLUMN "undone_at"`);
    await q.query(`ALTER TABLE "event_checkins" DROP COLUMN "scan_id"`);
    await q.query(`DELETE FROM "event_registrations" WHERE "user_id" IS NULL`);
    await q.query(`ALTER TABLE "event_registrations" DROP COLUMN "guest_email"`);
    await q.query(`ALTER TABLE "event_registrations" DROP COLUMN "guest_name"`);
    await q.query(`ALTER TABLE "event_registrations" ALTER COLUMN "user_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "event_registrations" DROP CONSTRAINT "PK_event_registrations"`);
    await q.query(`ALTER TABLE "event_registrations" ADD CONSTRAINT "PK_event_registrations" PRIMARY KEY ("session_id", "user_id")`);
    await q.query(`ALTER TABLE "event_registrations" DROP COLUMN "attendee_id"`);
    await q.query(`ALTER TABLE "event_sessions" DROP COLUMN "capacity"`);
  }
}
