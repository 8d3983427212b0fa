import { MigrationInterface, QueryRunner } from 'typeorm';

export class Schedules1795504812821 implements MigrationInterface {
  name = 'Schedules1795504812821';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "shifts" (
                "id" SERIAL NOT NULL,
                "name" character varying(100) NOT NULL,
                "start_time" TIME NOT NULL,
                "end_time" TIME NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_84d692e367e4d6cdf045828768c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "schedules" (
                "id" SERIAL NOT NULL,
                "employee_id" integer NOT NULL,
                "shift_id" integer NOT NULL,
                "date" date NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'scheduled',
                "notes" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7e33fc2ea755a5765e3564e66dd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_schedules_shift" ON "schedules" ("shift_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_schedules_date" ON "schedules" ("date")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_schedules_employee_date" ON "schedules" ("employee_id", "date")
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules"
            ADD CONSTRAINT "FK_schedules_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules"
            ADD CONSTRAINT "FK_schedules_shift" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "schedules" DROP CONSTRAINT "FK_schedules_shift"
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules" DROP CONSTRAINT "FK_schedules_employee"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_schedules_employee_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_schedules_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_schedules_shift"
        `);
    await queryRunner.query(`
            DROP TABLE "schedules"
        `);
    await queryRunner.query(`
            DROP TABLE "shifts"
        `);
  }
}
