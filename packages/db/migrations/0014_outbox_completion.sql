ALTER TABLE "mail_deliveries" DROP CONSTRAINT "mail_deliveries_status_check";--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "claimed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_owed_idx" ON "outbox" USING btree ("dispatched_at") WHERE dispatched_at is not null and completed_at is null;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD CONSTRAINT "mail_deliveries_status_check" CHECK (status in ('pending', 'sent', 'failed', 'uncertain'));--> statement-breakpoint
-- Rows relayed before completion was recorded are taken as done (their jobs ran under the old rule): the
-- redispatch sweep owes only what is relayed from now on.
UPDATE "outbox" SET "completed_at" = "dispatched_at" WHERE "dispatched_at" IS NOT NULL;
--> statement-breakpoint
UPDATE "mail_deliveries" SET "claimed_at" = "created_at";
