import { MigrationInterface, QueryRunner } from 'typeorm';

export class AttendanceRecordEvents1796659706191 implements MigrationInterface {
  name = 'AttendanceRecordEvents1796659706191';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "attendance_records"
            ADD "source" character varying(120)
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_records"
            ADD "event_id" character varying(200)
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_attendance_records_event" ON "attendance_records" ("source", "event_id")
            WHERE "event_id" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."UQ_attendance_records_event"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_records" DROP COLUMN "event_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_records" DROP COLUMN "source"
        `);
  }
}
