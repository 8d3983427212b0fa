import { MigrationInterface, QueryRunner } from 'typeorm';

export class BellsDayTypesZonesDelivery1796658689607 implements MigrationInterface {
  name = 'BellsDayTypesZonesDelivery1796658689607';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "bell_day_types" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "schedule_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "weekdays" integer array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1e5cef476d3d9069484ac1554b3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bell_day_types_schedule" ON "bell_day_types" ("schedule_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_day_overrides" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "schedule_id" uuid NOT NULL,
                "day_type_id" uuid,
                "name" character varying(200) NOT NULL,
                "start_date" date NOT NULL,
                "end_date" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7478f991ca56eb019c8f9777719" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bell_day_overrides_schedule" ON "bell_day_overrides" ("schedule_id", "start_date")
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_ring_deliveries" (
                "ring_id" uuid NOT NULL,
                "player_id" character varying(80) NOT NULL,
                "status" character varying(10) NOT NULL,
                "acked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_8cb026c99a029a13f8c9cac821b" PRIMARY KEY ("ring_id", "player_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "bell_players" (
                "id" character varying(80) NOT NULL,
                "name" character varying(200),
                "zone" character varying(100),
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_733fd44180758fb3ab8f9137643" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items"
            ADD "day_type_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items"
            ADD "zones" character varying(100) array
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_cancellations"
            ADD "actor" character varying(300)
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings"
            ADD "kind" character varying(10) NOT NULL DEFAULT 'bell'
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings"
            ADD "zones" character varying(100) array
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings"
            ADD "player_id" character varying(80)
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings"
            ADD "actor" character varying(300)
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_holidays"
            ADD "schedule_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_holidays"
            ADD "zone" character varying(100)
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state"
            ADD "paused_until" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state"
            ADD "changed_by" character varying(300)
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state"
            ADD "scanned_until" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_types"
            ADD CONSTRAINT "FK_bell_day_types_schedule" FOREIGN KEY ("schedule_id") REFERENCES "bell_schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items"
            ADD CONSTRAINT "FK_bell_items_day_type" FOREIGN KEY ("day_type_id") REFERENCES "bell_day_types"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_overrides"
            ADD CONSTRAINT "FK_bell_day_overrides_schedule" FOREIGN KEY ("schedule_id") REFERENCES "bell_schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_overrides"
            ADD CONSTRAINT "FK_bell_day_overrides_day_type" FOREIGN KEY ("day_type_id") REFERENCES "bell_day_types"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_ring_deliveries"
            ADD CONSTRAINT "FK_bell_ring_deliveries_ring" FOREIGN KEY ("ring_id") REFERENCES "bell_rings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_holidays"
            ADD CONSTRAINT "FK_bell_holidays_schedule" FOREIGN KEY ("schedule_id") REFERENCES "bell_schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "bell_holidays" DROP CONSTRAINT "FK_bell_holidays_schedule"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_ring_deliveries" DROP CONSTRAINT "FK_bell_ring_deliveries_ring"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_overrides" DROP CONSTRAINT "FK_bell_day_overrides_day_type"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_overrides" DROP CONSTRAINT "FK_bell_day_overrides_schedule"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items" DROP CONSTRAINT "FK_bell_items_day_type"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_day_types" DROP CONSTRAINT "FK_bell_day_types_schedule"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state" DROP COLUMN "scanned_until"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state" DROP COLUMN "changed_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_state" DROP COLUMN "paused_until"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_holidays" DROP COLUMN "zone"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_holidays" DROP COLUMN "schedule_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings" DROP COLUMN "actor"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings" DROP COLUMN "player_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings" DROP COLUMN "zones"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_rings" DROP COLUMN "kind"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_cancellations" DROP COLUMN "actor"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items" DROP COLUMN "zones"
        `);
    await queryRunner.query(`
            ALTER TABLE "bell_schedule_items" DROP COLUMN "day_type_id"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_players"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_ring_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bell_day_overrides_schedule"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_day_overrides"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bell_day_types_schedule"
        `);
    await queryRunner.query(`
            DROP TABLE "bell_day_types"
        `);
  }
}
