import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bumped when a user's sessions must end (password, role, disable, sign out everywhere); access tokens carry it. */
export class UserTokenGeneration1795700000001 implements MigrationInterface {
  name = 'UserTokenGeneration1795700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "token_generation" integer NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_generation"`);
  }
}
