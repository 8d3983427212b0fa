import { MigrationInterface, QueryRunner } from "typeorm";

export class Attendance1795507669212 implements MigrationInterface {
    name = 'Attendance1795507669212'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "attendance_clients" (
                "id" SERIAL NOT NULL,
                "gender" character varying(20),
                "age" integer,
                "image_path" character varying(300),
                "first_seen" TIMESTAMP WITH TIME ZONE,
                "last_seen" TIMESTAMP WITH TIME ZONE,
                "visit_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f891953068e84437df2e6fbedcb" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "attendance_recognitions" (
                "id" SERIAL NOT NULL,
                "device_key" character varying(100) NOT NULL,
                "event_id" character varying(200) NOT NULL,
                "client_id" integer,
                "visit_id" integer,
                "created_client" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f4e7482b7a721dd22ef4035b503" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_attendance_recognitions_event" ON "attendance_recognitions" ("device_key", "event_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "attendance_records" (
                "id" SERIAL NOT NULL,
                "employee_id" integer NOT NULL,
                "device_id" character varying(100) NOT NULL,
                "datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
                "score" double precision,
                "image_path" character varying(300),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_946920332f5bc9efad3f3023b96" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_attendance_records_employee_time" ON "attendance_records" ("employee_id", "datetime")
        `);
        await queryRunner.query(`
            CREATE TABLE "attendance_visits" (
                "id" SERIAL NOT NULL,
                "client_id" integer NOT NULL,
                "datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
                "device_id" character varying(100) NOT NULL,
                "image_path" character varying(300),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7a85dc1fcc42ec4ad2e8522702b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_attendance_visits_client_time" ON "attendance_visits" ("client_id", "datetime")
        `);
        await queryRunner.query(`
            ALTER TABLE "attendance_records"
            ADD CONSTRAINT "FK_attendance_records_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "attendance_visits"
            ADD CONSTRAINT "FK_attendance_visits_client" FOREIGN KEY ("client_id") REFERENCES "attendance_clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "attendance_visits" DROP CONSTRAINT "FK_attendance_visits_client"
        `);
        await queryRunner.query(`
            ALTER TABLE "attendance_records" DROP CONSTRAINT "FK_attendance_records_employee"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_visits_client_time"
        `);
        await queryRunner.query(`
            DROP TABLE "attendance_visits"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_attendance_records_employee_time"
        `);
        await queryRunner.query(`
            DROP TABLE "attendance_records"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_attendance_recognitions_event"
        `);
        await queryRunner.query(`
            DROP TABLE "attendance_recognitions"
        `);
        await queryRunner.query(`
            DROP TABLE "attendance_clients"
        `);
    }

}
