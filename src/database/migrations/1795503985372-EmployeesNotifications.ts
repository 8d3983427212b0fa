import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmployeesNotifications1795503985372 implements MigrationInterface {
  name = 'EmployeesNotifications1795503985372';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "employees" (
                "id" SERIAL NOT NULL,
                "first_name" character varying(100) NOT NULL,
                "last_name" character varying(100) NOT NULL,
                "email" character varying(254),
                "phone_number" character varying(40),
                "job_role" character varying(100) NOT NULL DEFAULT '',
                "user_id" uuid,
                "working_graphic" integer,
                "image_path" character varying(300),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b9535a98350d5b26e7eb0c26af4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_employees_user" ON "employees" ("user_id")
            WHERE "user_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "type" character varying(50) NOT NULL,
                "title" character varying(200) NOT NULL,
                "message" text NOT NULL DEFAULT '',
                "priority" character varying(20) NOT NULL DEFAULT 'normal',
                "link" character varying(500),
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "employee_id" integer,
                "group_key" character varying(200),
                "is_read" boolean NOT NULL DEFAULT false,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_notifications_user_created" ON "notifications" ("user_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "employees"
            ADD CONSTRAINT "FK_employees_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_notifications_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_notifications_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "employees" DROP CONSTRAINT "FK_employees_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_notifications_user_created"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_employees_user"
        `);
    await queryRunner.query(`
            DROP TABLE "employees"
        `);
  }
}
