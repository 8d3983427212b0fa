import { MigrationInterface, QueryRunner } from 'typeorm';

export class Queue1795504774261 implements MigrationInterface {
  name = 'Queue1795504774261';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "queue_alert_states" (
                "key" character varying(120) NOT NULL,
                "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_cd1322a552ae35c16d4a119810a" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_counters" (
                "id" SERIAL NOT NULL,
                "name" character varying(200) NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'active',
                "status_reason" character varying(1000),
                "status_changed_by" character varying(200),
                "status_changed_at" TIMESTAMP WITH TIME ZONE,
                "version" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ef7d729db0179ac3a4786600f8d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_queue_counters_name" ON "queue_counters" ("name")
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_counter_officers" (
                "user_id" uuid NOT NULL,
                "counter_id" integer NOT NULL,
                CONSTRAINT "PK_48242fbd82c3de2ea332583d7de" PRIMARY KEY ("user_id", "counter_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_queue_counter_officers_user" ON "queue_counter_officers" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_queue_counter_officers_counter" ON "queue_counter_officers" ("counter_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_procedures" (
                "id" SERIAL NOT NULL,
                "name" character varying(200) NOT NULL,
                "average_service_time" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2eec2098e9b32db026f578a7bd2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_queue_procedures_name" ON "queue_procedures" ("name")
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_counter_procedures" (
                "counter_id" integer NOT NULL,
                "procedure_id" integer NOT NULL,
                CONSTRAINT "PK_16e958f36a73c3d98f138b732ee" PRIMARY KEY ("counter_id", "procedure_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_queue_counter_procedures_procedure" ON "queue_counter_procedures" ("procedure_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_daily_numbers" (
                "counter_id" integer NOT NULL,
                "day" date NOT NULL,
                "last_number" integer NOT NULL,
                CONSTRAINT "PK_9a5dca6929ab37e3e9bcc57b539" PRIMARY KEY ("counter_id", "day")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_rollovers" (
                "day" date NOT NULL,
                "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expired_tickets" integer NOT NULL,
                CONSTRAINT "PK_7f7cdd13d2a40f070168f3e45fa" PRIMARY KEY ("day")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "queue_tickets" (
                "id" SERIAL NOT NULL,
                "counter_id" integer NOT NULL,
                "number" integer NOT NULL,
                "day" date NOT NULL,
                "status" character varying(20) NOT NULL,
                "procedure_id" integer,
                "procedure_name" character varying(200),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "called_at" TIMESTAMP WITH TIME ZONE,
                "serving_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "called_by" character varying(200),
                "recall_count" integer NOT NULL DEFAULT '0',
                "transferred_to_counter_id" integer,
                "transferred_from_ticket_id" integer,
                CONSTRAINT "PK_1b903aa90bcc04136caa6540c55" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_queue_tickets_day_status" ON "queue_tickets" ("day", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_queue_tickets_queue" ON "queue_tickets" ("counter_id", "day", "status", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_officers"
            ADD CONSTRAINT "FK_queue_counter_officers_counter" FOREIGN KEY ("counter_id") REFERENCES "queue_counters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_officers"
            ADD CONSTRAINT "FK_queue_counter_officers_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_procedures"
            ADD CONSTRAINT "FK_queue_counter_procedures_counter" FOREIGN KEY ("counter_id") REFERENCES "queue_counters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_procedures"
            ADD CONSTRAINT "FK_queue_counter_procedures_procedure" FOREIGN KEY ("procedure_id") REFERENCES "queue_procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_daily_numbers"
            ADD CONSTRAINT "FK_queue_daily_numbers_counter" FOREIGN KEY ("counter_id") REFERENCES "queue_counters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_tickets"
            ADD CONSTRAINT "FK_queue_tickets_counter" FOREIGN KEY ("counter_id") REFERENCES "queue_counters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_tickets"
            ADD CONSTRAINT "FK_queue_tickets_procedure" FOREIGN KEY ("procedure_id") REFERENCES "queue_procedures"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "queue_tickets" DROP CONSTRAINT "FK_queue_tickets_procedure"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_tickets" DROP CONSTRAINT "FK_queue_tickets_counter"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_daily_numbers" DROP CONSTRAINT "FK_queue_daily_numbers_counter"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_procedures" DROP CONSTRAINT "FK_queue_counter_procedures_procedure"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_procedures" DROP CONSTRAINT "FK_queue_counter_procedures_counter"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_officers" DROP CONSTRAINT "FK_queue_counter_officers_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "queue_counter_officers" DROP CONSTRAINT "FK_queue_counter_officers_counter"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_queue_tickets_queue"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_queue_tickets_day_status"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_tickets"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_rollovers"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_daily_numbers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_queue_counter_procedures_procedure"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_counter_procedures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_queue_procedures_name"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_procedures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_queue_counter_officers_counter"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_queue_counter_officers_user"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_counter_officers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_queue_counters_name"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_counters"
        `);
    await queryRunner.query(`
            DROP TABLE "queue_alert_states"
        `);
  }
}
