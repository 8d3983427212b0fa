import { MigrationInterface, QueryRunner } from 'typeorm';

export class Bells1795506997789 implements MigrationInterface {
  name = 'Bells1795506997789';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "bell_schedules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "days_of_week" integer array NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "timezone" character varying(64),
                "active_since" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_45a659044b88e031df89938d19a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_sounds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "file_name" character varying(100) NOT NULL,
                "mime_type" character varying(50) NOT NULL,
                "size" integer NOT NULL,
                "checksum" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1fbf2c891212c835b08f326ff1f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_schedule_items" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "schedule_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "time" character varying(8) NOT NULL,
                "sound_id" uuid NOT NULL,
                "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_380b31a9c58a74d15be29226f33" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bell_items_schedule" ON "bell_schedule_items" ("schedule_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bell_items_sound" ON "bell_schedule_items" ("sound_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_cancellations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "schedule_item_id" uuid NOT NULL,
                "date" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f9169617b33cc38c121ea143384" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_bell_cancellations" ON "bell_cancellations" ("schedule_item_id", "date")
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_holidays" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "start_date" date NOT NULL,
                "end_date" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_221909963d283e819ae294b67b1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_rings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "schedule_item_id" uuid,
                "occurrence_date" date,
                "sound_id" uuid,
                "name" character varying(200) NOT NULL,
                "scheduled_for" TIMESTAMP WITH TIME ZONE,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "outcome" character varying(10) NOT NULL,
                "manual" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_ff296199f0b1a3a492440331032" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bell_rings_at" ON "bell_rings" ("at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_bell_rings_occurrence" ON "bell_rings" ("schedule_item_id", "occurrence_date")
            WHERE "schedule_item_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_state" (
                "id" integer NOT NULL,
                "state" character varying(10) NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1e46263ca85b8305920136a2289" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items"
            ADD CONSTRAINT "FK_bell_items_schedule" FOREIGN KEY ("schedule_id") REFERENCES "bell_schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items"
            ADD CONSTRAINT "FK_bell_items_sound" FOREIGN KEY ("sound_id") REFERENCES "bell_sounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_cancellations"
            ADD CONSTRAINT "FK_bell_cancellations_item" FOREIGN KEY ("schedule_item_id") REFERENCES "bell_schedule_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "bell_cancellations" DROP CONSTRAINT "FK_bell_cancellations_item"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items" DROP CONSTRAINT "FK_bell_items_sound"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items" DROP CONSTRAINT "FK_bell_items_schedule"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_bell_rings_occurrence"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bell_rings_at"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_rings"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_holidays"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_bell_cancellations"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_cancellations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bell_items_sound"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bell_items_schedule"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_schedule_items"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_sounds"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_schedules"
        `);
  }
}
