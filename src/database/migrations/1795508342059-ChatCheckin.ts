import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChatCheckin1795508342059 implements MigrationInterface {
  name = 'ChatCheckin1795508342059';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "chat_conversations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "type" character varying(10) NOT NULL,
                "title" character varying(200),
                "direct_key" character varying(80),
                "created_by" uuid,
                "last_message_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ff117d9f57807c4f2e3034a39f3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_chat_conversations_direct_key" ON "chat_conversations" ("direct_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_chat_conversations_last_message" ON "chat_conversations" ("last_message_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "chat_participants" (
                "conversation_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" character varying(10) NOT NULL DEFAULT 'member',
                "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_read_seq" bigint NOT NULL DEFAULT '0',
                "last_read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_chat_participants" PRIMARY KEY ("conversation_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_chat_participants_user" ON "chat_participants" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "chat_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" BIGSERIAL NOT NULL,
                "conversation_id" uuid NOT NULL,
                "sender_id" uuid,
                "content" text NOT NULL,
                "message_type" character varying(10) NOT NULL DEFAULT 'text',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "is_edited" boolean NOT NULL DEFAULT false,
                "edited_at" TIMESTAMP WITH TIME ZONE,
                "is_deleted" boolean NOT NULL DEFAULT false,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_40c55ee0e571e268b0d3cd37d10" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_chat_messages_unread" ON "chat_messages" ("conversation_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_chat_messages_history" ON "chat_messages" ("conversation_id", "created_at", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "dashboard_public" boolean NOT NULL DEFAULT true,
                "host_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_dbe18de390df26f2dffc4ef3356" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_event_sessions_starts_at" ON "event_sessions" ("starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_checkins" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" BIGSERIAL NOT NULL,
                "session_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "user_name" character varying(200) NOT NULL,
                "outcome" character varying(20) NOT NULL,
                "success" boolean NOT NULL,
                "message" character varying(300) NOT NULL,
                "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_by_kind" character varying(10) NOT NULL,
                "recorded_by_id" uuid NOT NULL,
                "recorded_by_name" character varying(200) NOT NULL,
                CONSTRAINT "PK_1d8af5a26a4f0bf2a25cbd9ffb1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_event_checkins_success" ON "event_checkins" ("session_id", "user_id")
            WHERE "success"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_event_checkins_session" ON "event_checkins" ("session_id", "attempted_at", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_registrations" (
                "session_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_event_registrations" PRIMARY KEY ("session_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_event_registrations_user" ON "event_registrations" ("user_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_conversations"
            ADD CONSTRAINT "FK_chat_conversations_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_participants"
            ADD CONSTRAINT "FK_chat_participants_conversation" FOREIGN KEY ("conversation_id") REFERENCES "chat_conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_participants"
            ADD CONSTRAINT "FK_chat_participants_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ADD CONSTRAINT "FK_chat_messages_conversation" FOREIGN KEY ("conversation_id") REFERENCES "chat_conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_messages"
            ADD CONSTRAINT "FK_chat_messages_sender" FOREIGN KEY ("sender_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_sessions"
            ADD CONSTRAINT "FK_event_sessions_host" FOREIGN KEY ("host_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_checkins"
            ADD CONSTRAINT "FK_event_checkins_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_registrations"
            ADD CONSTRAINT "FK_event_registrations_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_registrations"
            ADD CONSTRAINT "FK_event_registrations_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "event_registrations" DROP CONSTRAINT "FK_event_registrations_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_registrations" DROP CONSTRAINT "FK_event_registrations_session"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_checkins" DROP CONSTRAINT "FK_event_checkins_session"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_sessions" DROP CONSTRAINT "FK_event_sessions_host"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_messages" DROP CONSTRAINT "FK_chat_messages_sender"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_messages" DROP CONSTRAINT "FK_chat_messages_conversation"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_participants" DROP CONSTRAINT "FK_chat_participants_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_participants" DROP CONSTRAINT "FK_chat_participants_conversation"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_conversations" DROP CONSTRAINT "FK_chat_conversations_created_by"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_event_registrations_user"
        `);
    await queryRunner.query(`
            DROP TABLE "event_registrations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_event_checkins_session"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_event_checkins_success"
        `);
    await queryRunner.query(`
            DROP TABLE "event_checkins"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_event_sessions_starts_at"
        `);
    await queryRunner.query(`
            DROP TABLE "event_sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_chat_messages_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_chat_messages_unread"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_messages"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_chat_participants_user"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_participants"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_chat_conversations_last_message"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_chat_conversations_direct_key"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_conversations"
        `);
  }
}
