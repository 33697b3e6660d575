ALTER TABLE "memberships" ADD COLUMN "referral_mail" text DEFAULT 'each' NOT NULL;--> statement-breakpoint
CREATE INDEX "case_events_referral_sent_idx" ON "case_events" USING btree ("at") WHERE event_type = 'SEND' and referral_id is not null;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_referral_mail_check" CHECK (referral_mail in ('each', 'digest'));