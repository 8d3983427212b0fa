import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recognition log (camera event ids, kept so a retry is answered with the
 * first result) says who was seen when: an entry now goes with its visit and
 * with its client, instead of staying behind with the link cleared. Entries
 * that earlier deletions left without a visit are removed by the attendance
 * retention after the visits' period.
 */
export class RecognitionLogFollowsItsVisit1796800000200 implements MigrationInterface {
  name = 'RecognitionLogFollowsItsVisit1796800000200';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_client"`);
    await q.query(`ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_visit"`);
    await q.query(
      `ALTER TABLE "attendance_recognitions" ADD CONSTRAINT "FK_attendance_recognitions_client" FOREIGN KEY ("client_id") REFERENCES "attendance_clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "attendance_recognitions" ADD CONSTRAINT "FK_attendance_recognitions_visit" FOREIGN KEY ("visit_id") REFERENCES "attendance_visits"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_visit"`);
    await q.query(`ALTER TABLE "attendance_recognitions" DROP CONSTRAINT "FK_attendance_recognitions_client"`);
    await q.query(
      `ALTER TABLE "attendance_recognitions" ADD CONSTRAINT "FK_attendance_recognitions_visit" FOREIGN KEY ("visit_id") REFERENCES "attendance_visits"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "attendance_recognitions" ADD CONSTRAINT "FK_attendance_recognitions_client" FOREIGN KEY ("client_id") REFERENCES "attendance_clients"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }
}
