CREATE TABLE "supervision_case_facts" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"territory_id" text NOT NULL,
	"entry_organisation_id" text NOT NULL,
	"referent_organisation_id" text NOT NULL,
	"channel" text NOT NULL,
	"commune" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_contact_at" timestamp with time zone,
	"assessment_completed_at" timestamp with time zone,
	"first_referral_sent_at" timestamp with time zone,
	"first_appointment_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closure_reason" text,
	"handover_at" timestamp with time zone,
	"stage" text NOT NULL,
	"stage_since" timestamp with time zone NOT NULL,
	"stage_overdue_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "supervision_contact_facts" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid
);
--> statement-breakpoint
CREATE TABLE "supervision_counts" (
	"territory_id" text NOT NULL,
	"month" date NOT NULL,
	"measure" text NOT NULL,
	"entry_organisation_id" text NOT NULL,
	"partner_organisation_id" text NOT NULL,
	"bundle" text NOT NULL,
	"channel" text NOT NULL,
	"commune" text NOT NULL,
	"code" text NOT NULL,
	"detail" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "supervision_counts_pk" PRIMARY KEY("territory_id","bundle","channel","measure","month","entry_organisation_id","partner_organisation_id","commune","code","detail")
);
--> statement-breakpoint
CREATE TABLE "supervision_delays" (
	"territory_id" text NOT NULL,
	"month" date NOT NULL,
	"stage" text NOT NULL,
	"entry_organisation_id" text NOT NULL,
	"partner_organisation_id" text NOT NULL,
	"bundle" text NOT NULL,
	"channel" text NOT NULL,
	"day_kind" text NOT NULL,
	"days" integer NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "supervision_delays_pk" PRIMARY KEY("territory_id","bundle","channel","stage","day_kind","month","entry_organisation_id","partner_organisation_id","days")
);
--> statement-breakpoint
CREATE TABLE "supervision_projection" (
	"name" text PRIMARY KEY NOT NULL,
	"processed_below" text DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"caught_up_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "supervision_referral_facts" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"partner_organisation_id" text NOT NULL,
	"bundle" text NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"first_appointment_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"final_status" text,
	"territory_id" text NOT NULL,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "supervision_right_facts" (
	"case_id" uuid NOT NULL,
	"right" text NOT NULL,
	"assessment_id" uuid NOT NULL,
	"status" text NOT NULL,
	"non_take_up_reason" text,
	CONSTRAINT "supervision_right_facts_case_id_right_pk" PRIMARY KEY("case_id","right")
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "supervision_case_facts_overdue_idx" ON "supervision_case_facts" USING btree ("territory_id") WHERE stage_overdue_at is not null;--> statement-breakpoint
CREATE INDEX "supervision_referral_facts_case_idx" ON "supervision_referral_facts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "supervision_referral_facts_breach_idx" ON "supervision_referral_facts" USING btree ("territory_id","partner_organisation_id") WHERE reminded_at is not null and answered_at is null and final_status is null;--> statement-breakpoint
CREATE INDEX "assessments_transaction_idx" ON "assessments" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "case_events_transaction_idx" ON "case_events" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "contacts_transaction_idx" ON "contacts" USING btree ("transaction_id");--> statement-breakpoint
-- Supervision's projection (issue 17) folds contacts and assessments at their latest version: an update is
-- a new version, written by the updating transaction.
CREATE FUNCTION parcours_stamp_transaction_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.transaction_id := pg_current_xact_id();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER contacts_stamp_transaction BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION parcours_stamp_transaction_id();
--> statement-breakpoint
CREATE TRIGGER assessments_stamp_transaction BEFORE UPDATE ON assessments
  FOR EACH ROW EXECUTE FUNCTION parcours_stamp_transaction_id();
--> statement-breakpoint
-- No person data in the read model (ids, codes and counts): no row-level policy; the desk's policy module
-- decides who reads which aggregates. Granted explicitly: default privileges follow the role that migrates.
GRANT SELECT, INSERT, UPDATE, DELETE ON supervision_case_facts, supervision_referral_facts, supervision_contact_facts,
  supervision_right_facts, supervision_delays, supervision_counts, supervision_projection TO parcours_app;
--> statement-breakpoint
-- A rebuild empties the read model (and only the read model) at once.
GRANT TRUNCATE ON supervision_case_facts, supervision_referral_facts, supervision_contact_facts, supervision_right_facts,
  supervision_delays, supervision_counts TO parcours_app;
--> statement-breakpoint
INSERT INTO supervision_projection (name, processed_below) VALUES ('supervision', '0');
