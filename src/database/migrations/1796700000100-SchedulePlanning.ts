import { MigrationInterface, QueryRunner } from 'typeorm';

/** Planning: the site's rules, availability, time off, open shifts and claim/swap/drop requests. */
export class SchedulePlanning1796700000100 implements MigrationInterface {
  name = 'SchedulePlanning1796700000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "schedule_rules" (
        "id" integer NOT NULL,
        "min_rest_hours" double precision,
        "max_hours_per_day" double precision,
        "max_hours_per_week" double precision,
        "overridable" jsonb NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_schedule_rules" PRIMARY KEY ("id")
      )
    `);
    await q.query(`
      CREATE TABLE "employee_availability" (
        "id" SERIAL NOT NULL,
        "employee_id" integer NOT NULL,
        "weekday" smallint NOT NULL,
        "start_time" TIME NOT NULL,
        "end_time" TIME NOT NULL,
        "preferred" boolean NOT NULL DEFAULT false,
        CONSTRAINT "PK_employee_availability" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_employee_availability_employee" ON "employee_availability" ("employee_id")`);
    await q.query(
      `ALTER TABLE "employee_availability" ADD CONSTRAINT "FK_employee_availability_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`
      CREATE TABLE "time_off_requests" (
        "id" SERIAL NOT NULL,
        "employee_id" integer NOT NULL,
        "start_date" date NOT NULL,
        "end_date" date NOT NULL,
        "reason" text,
        "status" character varying(10) NOT NULL DEFAULT 'pending',
        "decided_by_id" uuid,
        "decided_by_name" character varying(200),
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "decision_note" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_time_off_requests" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_time_off_employee" ON "time_off_requests" ("employee_id", "start_date")`);
    await q.query(`ALTER TABLE "time_off_requests" ADD CONSTRAINT "FK_time_off_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`
      CREATE TABLE "open_shifts" (
        "id" SERIAL NOT NULL,
        "shift_id" integer NOT NULL,
        "date" date NOT NULL,
        "job_role" character varying(100),
        "notes" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_open_shifts" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_open_shifts_date" ON "open_shifts" ("date")`);
    await q.query(`ALTER TABLE "open_shifts" ADD CONSTRAINT "FK_open_shifts_shift" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`
      CREATE TABLE "shift_requests" (
        "id" SERIAL NOT NULL,
        "kind" character varying(10) NOT NULL,
        "status" character varying(10) NOT NULL DEFAULT 'pending',
        "employee_id" integer NOT NULL,
        "open_shift_id" integer,
        "schedule_id" integer,
        "target_employee_id" integer,
        "date" date NOT NULL,
        "reason" text,
        "decided_by_id" uuid,
        "decided_by_name" character varying(200),
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "decision_note" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_shift_requests" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "IDX_shift_requests_status" ON "shift_requests" ("status", "created_at")`);
    await q.query(`ALTER TABLE "shift_requests" ADD CONSTRAINT "FK_shift_requests_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "shift_requests" ADD CONSTRAINT "FK_shift_requests_target" FOREIGN KEY ("target_employee_id") REFERENCES "employees"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "shift_requests"`);
    await q.query(`DROP TABLE "open_shifts"`);
    await q.query(`DROP TABLE "time_off_requests"`);
    await q.query(`DROP TABLE "employee_availability"`);
    await q.query(`DROP TABLE "schedule_rules"`);
  }
}
