import { MigrationInterface, QueryRunner } from 'typeorm';

export class AttendancePrivacyReview1796700000000 implements MigrationInterface {
  name = 'AttendancePrivacyReview1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attendance_clients" ADD "consent" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`
      CREATE TABLE "attendance_retention_runs" (
        "day" date NOT NULL,
        "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "deleted" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "PK_attendance_retention_runs" PRIMARY KEY ("day")
      )`);
    await queryRunner.query(`
      CREATE TABLE "attendance_reviews" (
        "id" SERIAL NOT NULL,
        "kind" character varying(20) NOT NULL,
        "status" character varying(20) NOT NULL DEFAULT 'pending',
        "reason" character varying(40) NOT NULL,
        "employee_id" integer,
        "client_id" integer,
        "device_id" character varying(100) NOT NULL,
        "datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
        "score" double precision,
        "image_path" character varying(300),
        "gender" character varying(10),
        "age" integer,
        "source" character varying(120) NOT NULL,
        "event_id" character varying(200),
        "result_id" integer,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_attendance_reviews" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_attendance_reviews_status" ON "attendance_reviews" ("status", "id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_attendance_reviews_event" ON "attendance_reviews" ("source", "event_id") WHERE "event_id" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "attendance_reviews"`);
    await queryRunner.query(`DROP TABLE "attendance_retention_runs"`);
    await queryRunner.query(`ALTER TABLE "attendance_clients" DROP COLUMN "consent"`);
  }
}
