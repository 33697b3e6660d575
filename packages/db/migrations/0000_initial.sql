CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"oidc_subject" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"organisation_id" uuid,
	"action" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"purpose" text,
	"consent_id" uuid,
	"outcome" text NOT NULL,
	"request_id" text,
	CONSTRAINT "audit_events_actor_kind_check" CHECK (actor_kind in ('agent', 'partner_link', 'system', 'person')),
	CONSTRAINT "audit_events_outcome_check" CHECK (outcome in ('allowed', 'denied', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"referral_id" uuid,
	"revision" integer NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_organisation_id" uuid,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"machine_version" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_events_actor_kind_check" CHECK (actor_kind in ('agent', 'partner_link', 'system', 'person'))
);
--> statement-breakpoint
CREATE TABLE "case_members" (
	"case_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_members_case_id_person_id_pk" PRIMARY KEY("case_id","person_id"),
	CONSTRAINT "case_members_role_check" CHECK (role in ('primary', 'household_member', 'legal_representative'))
);
--> statement-breakpoint
CREATE TABLE "case_timers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"referral_id" uuid,
	"subject_id" uuid NOT NULL,
	"timer_id" text NOT NULL,
	"delay_name" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"armed_revision" integer NOT NULL,
	"status" text NOT NULL,
	"fired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_timers_status_check" CHECK (status in ('armed', 'fired', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" text NOT NULL,
	"entry_organisation_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"expressed_request" text NOT NULL,
	"referent_organisation_id" uuid NOT NULL,
	"referent_agent_id" uuid,
	"machine_id" text NOT NULL,
	"machine_version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"state_value" jsonb NOT NULL,
	"stage" text NOT NULL,
	"closed_at" timestamp with time zone,
	"closure_reason" text,
	"revision" integer DEFAULT 0 NOT NULL,
	"opened_by_agent_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_channel_check" CHECK (channel in ('physical', 'phone', 'email', 'visio', 'itinerant')),
	CONSTRAINT "cases_revision_check" CHECK (revision >= 0)
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"agent_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"roles" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_agent_id_organisation_id_pk" PRIMARY KEY("agent_id","organisation_id"),
	CONSTRAINT "memberships_roles_check" CHECK (cardinality(roles) > 0 and roles <@ array['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor']::text[])
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"siret" text,
	"communes_served" text[] DEFAULT '{}'::text[] NOT NULL,
	"uses_parcours" boolean DEFAULT true NOT NULL,
	"contact_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind_check" CHECK (kind in ('france_services', 'ccas', 'caf', 'msa', 'cpam', 'france_travail', 'mission_locale', 'departement_social_service', 'dac', 'clic', 'association', 'other')),
	CONSTRAINT "organisations_siret_check" CHECK (siret is null or siret ~ '^[0-9]{14}$')
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_identities" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"family_name" text NOT NULL,
	"given_names" text NOT NULL,
	"birth_name" text,
	"birth_date" date,
	"commune_insee" text,
	"phone" text,
	"email" text,
	"search_key" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_by_organisation_id" uuid,
	"last_contact_at" timestamp with time zone DEFAULT now() NOT NULL,
	"anonymised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_codes" (
	"list" text NOT NULL,
	"code" text NOT NULL,
	"label_fr" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "reference_codes_list_code_pk" PRIMARY KEY("list","code"),
	CONSTRAINT "reference_codes_list_check" CHECK (list in ('closure_reason', 'decline_reason', 'non_take_up_reason'))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"from_organisation_id" uuid NOT NULL,
	"to_organisation_id" uuid NOT NULL,
	"to_service_id" text,
	"purpose" text NOT NULL,
	"shared_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"machine_id" text NOT NULL,
	"machine_version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"state_value" jsonb NOT NULL,
	"status" text NOT NULL,
	"closed_at" timestamp with time zone,
	"revision" integer DEFAULT 0 NOT NULL,
	"redirected_from_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_purpose_check" CHECK (purpose in ('information', 'rights_opening', 'social_support', 'professional_integration', 'housing', 'health_care', 'autonomy_support', 'case_management')),
	CONSTRAINT "referrals_categories_check" CHECK (shared_categories <@ array['identity', 'contact', 'situation_summary', 'assessment', 'health', 'free_notes']::text[])
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" uuid,
	"acting_organisation_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "territories" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"departement_code" text NOT NULL,
	"communes" text[] DEFAULT '{}'::text[] NOT NULL,
	"bassins_de_vie" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_organisation_id_organisations_id_fk" FOREIGN KEY ("actor_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_members" ADD CONSTRAINT "case_members_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_members" ADD CONSTRAINT "case_members_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_timers" ADD CONSTRAINT "case_timers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_timers" ADD CONSTRAINT "case_timers_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_entry_organisation_id_organisations_id_fk" FOREIGN KEY ("entry_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_referent_organisation_id_organisations_id_fk" FOREIGN KEY ("referent_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_referent_agent_id_agents_id_fk" FOREIGN KEY ("referent_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_opened_by_agent_id_agents_id_fk" FOREIGN KEY ("opened_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identities" ADD CONSTRAINT "person_identities_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_created_by_organisation_id_organisations_id_fk" FOREIGN KEY ("created_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_from_organisation_id_organisations_id_fk" FOREIGN KEY ("from_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_to_organisation_id_organisations_id_fk" FOREIGN KEY ("to_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_acting_organisation_id_organisations_id_fk" FOREIGN KEY ("acting_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_email_key" ON "agents" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "agents_oidc_subject_key" ON "agents" USING btree ("oidc_subject");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING gin ("subject_ids");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_case_revision_key" ON "case_events" USING btree ("case_id","revision") WHERE referral_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_referral_revision_key" ON "case_events" USING btree ("referral_id","revision") WHERE referral_id is not null;--> statement-breakpoint
CREATE INDEX "case_members_person_idx" ON "case_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_timers_subject_timer_key" ON "case_timers" USING btree ("subject_id","timer_id");--> statement-breakpoint
CREATE INDEX "case_timers_due_idx" ON "case_timers" USING btree ("due_at") WHERE status = 'armed';--> statement-breakpoint
CREATE INDEX "cases_entry_organisation_idx" ON "cases" USING btree ("entry_organisation_id","stage");--> statement-breakpoint
CREATE INDEX "cases_referent_organisation_idx" ON "cases" USING btree ("referent_organisation_id","stage");--> statement-breakpoint
CREATE INDEX "memberships_organisation_idx" ON "memberships" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "organisations_territory_idx" ON "organisations" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("available_at") WHERE dispatched_at is null;--> statement-breakpoint
CREATE INDEX "person_identities_search_key_idx" ON "person_identities" USING btree ("search_key");--> statement-breakpoint
CREATE INDEX "person_identities_birth_date_idx" ON "person_identities" USING btree ("birth_date");--> statement-breakpoint
CREATE INDEX "referrals_case_idx" ON "referrals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "referrals_to_organisation_idx" ON "referrals" USING btree ("to_organisation_id","status");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");