import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-conversation message numbers (`seq`) and change numbers (`change_seq`)
 * for sync, who deleted a message, archived conversations, last seen. Existing messages
 * are numbered in their history order, and read positions move from the
 * global sequence to the conversation's.
 */
export class ChatSync1796600000000 implements MigrationInterface {
  name = 'ChatSync1796600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "chat_conversations" ADD "last_seq" bigint NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "chat_conversations" ADD "archived_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "chat_conversations" ADD "archived_by" uuid`);
    await q.query(`ALTER TABLE "chat_messages" ADD "conv_seq" bigint`);
    await q.query(`ALTER TABLE "chat_messages" ADD "change_seq" bigint`);
    await q.query(`ALTER TABLE "chat_messages" ADD "deleted_by" uuid`);
    await q.query(`
      UPDATE "chat_messages" m SET "conv_seq" = n.rn, "change_seq" = n.rn
      FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY created_at, seq) AS rn FROM "chat_messages") n
      WHERE n.id = m.id
    `);
    await q.query(`UPDATE "chat_messages" SET "deleted_by" = "sender_id" WHERE "is_deleted"`);
    await q.query(`UPDATE "chat_conversations" c SET "last_seq" = COALESCE((SELECT MAX(conv_seq) FROM "chat_messages" m WHERE m.conversation_id = c.id), 0)`);
    await q.query(`
      UPDATE "chat_participants" p SET "last_read_seq" =
        COALESCE((SELECT MAX(m.conv_seq) FROM "chat_messages" m WHERE m.conversation_id = p.conversation_id AND m.seq <= p.last_read_seq), 0)
    `);
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "conv_seq" SET NOT NULL`);
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "change_seq" SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_chat_messages_conv_seq" ON "chat_messages" ("conversation_id", "conv_seq")`);
    await q.query(`CREATE INDEX "IDX_chat_messages_change_seq" ON "chat_messages" ("conversation_id", "change_seq")`);
    await q.query(`
      CREATE TABLE "chat_last_seen" (
        "user_id" uuid NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_chat_last_seen" PRIMARY KEY ("user_id")
      )
    `);
    await q.query(`ALTER TABLE "chat_last_seen" ADD CONSTRAINT "FK_chat_last_seen_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "chat_last_seen"`);
    await q.query(`DROP INDEX "public"."IDX_chat_messages_change_seq"`);
    await q.query(`DROP INDEX "public"."UQ_chat_messages_conv_seq"`);
    await q.query(`
      UPDATE "chat_participants" p SET "last_read_seq" =
        COALESCE((SELECT MAX(m.seq) FROM "chat_messages" m WHERE m.conversation_id = p.conversation_id AND m.conv_seq <= p.last_read_seq), 0)
    `);
    await q.query(`ALTER TABLE "chat_messages" DROP COLUMN "deleted_by"`);
    await q.query(`ALTER TABLE "chat_messages" DROP COLUMN "change_seq"`);
    await q.query(`ALTER TABLE "chat_messages" DROP COLUMN "conv_seq"`);
    await q.query(`ALTER TABLE "chat_conversations" DROP COLUMN "archived_by"`);
    await q.query(`ALTER TABLE "chat_conversations" DROP COLUMN "archived_at"`);
    await q.query(`ALTER TABLE "chat_conversations" DROP COLUMN "last_seq"`);
  }
}
