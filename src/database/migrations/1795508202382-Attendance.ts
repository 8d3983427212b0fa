import { MigrationInterface, QueryRunner } from 'typeorm';

export class Attendance1795508202382 implements MigrationInterface {
  name = 'Attendance1795508202382';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "attendance_clients" (
                "id" SERIAL NOT NULL,
                "gender" character varying(10) NOT NULL DEFAULT 'unknown',
                "age" integer,
                "image_path" character varying(300),
                "first_seen" TIMESTAMP WITH TIME ZONE,
                "last_seen" TIMESTAMP WITH TIME ZONE,
                "visit_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_attendance_clients" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "attendance_visits" (
                "id" SERIAL NOT NULL,
                "client_id" integer NOT NULL,
                "datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
                "device_id" character varying(100) NOT NULL,
                "image_path" character varying(300),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_attendance_visits" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_attendance_visits_client_datetime" ON "attendance_visits" ("client_id", "datetime")
        `);
    await queryRunner.query(`
            CREATE TABLE "attendance_recognitions" (
                "id" SERIAL NOT NULL,
                "source" character varying(80) NOT NULL,
                "event_id" character varying(200),
                "client_id" integer,
                "visit_id" integer,
                "client_created" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_attendance_recognitions" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_attendance_recognitions_client" ON "attendance_recognitions" ("client_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_attendance_recognitions_visit" ON "attendance_recognitions" ("visit_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_attendance_recognitions_source_event" ON "attendance_recognitions" ("source", "event_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "attendance_records" (
                "id" SERIAL NOT NULL,
                "employee_id" integer NOT NULL,
                "device_id" character varying(100) NOT NULL,
                "datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
                "score" double precision NOT NULL,
                "image_path" character varying(300),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_attendance_records" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_attendance_records_datetime" ON "attendance_records" ("datetime")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_attendance_records_employee_datetime" ON "attendance_records" ("employee_id", "datetime")
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_visits"
            ADD CONSTRAINT "FK_attendance_visits_client" FOREIGN KEY ("client_id") REFERENCES "attendance_clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_recognitions"
            ADD CONSTRAINT "FK_attendance_recognitions_client" FOREIGN KEY ("client_id") REFERENCES "attendance_clients"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_recognitions"
            ADD CONSTRAINT "FK_attendance_recognitions_visit" FOREIGN KEY ("visit_id") REFERENCES "attendance_visits"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_records"
            ADD CONSTRAINT "FK_attendance_records_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "attendance_records" DROP CONSTRAINT "FK_attendance_records_employee"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_visit"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_client"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_visits" DROP CONSTRAINT "FK_attendance_visits_client"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_records_employee_datetime"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_records_datetime"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance_records"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_attendance_recognitions_source_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_recognitions_visit"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_recognitions_client"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance_recognitions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_visits_client_datetime"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance_visits"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance_clients"
        `);
  }
}
