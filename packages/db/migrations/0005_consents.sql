CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid,
	"decision" text NOT NULL,
	"given_by" text NOT NULL,
	"representative_person_id" uuid,
	"recipient_organisation_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"purposes" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"information_shown" text[] NOT NULL,
	"notice_version" integer NOT NULL,
	"notice_sha256" text NOT NULL,
	"method" text NOT NULL,
	"collected_by_agent_id" uuid NOT NULL,
	"collected_by_organisation_id" uuid NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawal_recorded_by_agent_id" uuid,
	"withdrawal_channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_decision_check" CHECK (decision in ('consent', 'opposition')),
	CONSTRAINT "consents_given_by_check" CHECK (given_by in ('person', 'legal_representative')),
	CONSTRAINT "consents_method_check" CHECK (method in ('oral_attested', 'signed_paper', 'digital')),
	CONSTRAINT "consents_purposes_check" CHECK (purposes <@ array['information', 'rights_opening', 'social_support', 'professional_integration', 'housing', 'health_care', 'autonomy_support', 'case_management']::text[]),
	CONSTRAINT "consents_categories_check" CHECK (categories <@ array['identity', 'contact', 'situation_summary', 'assessment', 'health', 'free_notes']::text[]),
	CONSTRAINT "consents_information_check" CHECK (information_shown @> array['what_is_shared', 'with_whom', 'by_what_means', 'which_security']::text[] and information_shown <@ array['what_is_shared', 'with_whom', 'by_what_means', 'which_security']::text[]),
	CONSTRAINT "consents_scope_check" CHECK (decision = 'opposition' or (cardinality(recipient_organisation_ids) > 0 and cardinality(purposes) > 0 and cardinality(categories) > 0)),
	CONSTRAINT "consents_notice_check" CHECK (notice_sha256 ~ '^[0-9a-f]{64}$' and notice_version > 0),
	CONSTRAINT "consents_expiry_check" CHECK (expires_at is null or expires_at > collected_at),
	CONSTRAINT "consents_withdrawal_check" CHECK ((withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawal_channel is null) and (withdrawn_by is null or withdrawn_by in ('person', 'legal_representative')) and (withdrawal_channel is null or withdrawal_channel in ('in_person', 'phone', 'email', 'postal_mail', 'digital')))
);
--> statement-breakpoint
CREATE TABLE "partner_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"token_sha256" text NOT NULL,
	"issued_by_agent_id" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_links_expiry_check" CHECK (expires_at > issued_at)
);
--> statement-breakpoint
CREATE TABLE "referent_handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"from_organisation_id" uuid NOT NULL,
	"to_organisation_id" uuid NOT NULL,
	"to_agent_id" uuid,
	"note" text NOT NULL,
	"consent_id" uuid,
	"by_agent_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_roles_check";--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_representative_person_id_persons_id_fk" FOREIGN KEY ("representative_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_collected_by_agent_id_agents_id_fk" FOREIGN KEY ("collected_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_collected_by_organisation_id_organisations_id_fk" FOREIGN KEY ("collected_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_withdrawal_recorded_by_agent_id_agents_id_fk" FOREIGN KEY ("withdrawal_recorded_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_links" ADD CONSTRAINT "partner_links_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_links" ADD CONSTRAINT "partner_links_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_links" ADD CONSTRAINT "partner_links_issued_by_agent_id_agents_id_fk" FOREIGN KEY ("issued_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_from_organisation_id_organisations_id_fk" FOREIGN KEY ("from_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_to_organisation_id_organisations_id_fk" FOREIGN KEY ("to_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_to_agent_id_agents_id_fk" FOREIGN KEY ("to_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent_handovers" ADD CONSTRAINT "referent_handovers_by_agent_id_agents_id_fk" FOREIGN KEY ("by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_person_idx" ON "consents" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_links_token_key" ON "partner_links" USING btree ("token_sha256");--> statement-breakpoint
CREATE INDEX "partner_links_referral_idx" ON "partner_links" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referent_handovers_case_idx" ON "referent_handovers" USING btree ("case_id","at");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_roles_check" CHECK (cardinality(roles) > 0 and roles <@ array['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor', 'health_data']::text[]);