CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"form_id" text NOT NULL,
	"form_version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"potential_rights" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"data_categories" text[] DEFAULT '{assessment}'::text[] NOT NULL,
	"created_by_agent_id" uuid,
	"created_by_organisation_id" uuid,
	"completed_at" timestamp with time zone,
	"completed_by_agent_id" uuid,
	"supersedes_id" uuid,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessments_status_check" CHECK (status in ('draft', 'completed', 'superseded')),
	CONSTRAINT "assessments_form_version_check" CHECK (form_version > 0),
	CONSTRAINT "assessments_categories_check" CHECK (data_categories <@ array['identity', 'contact', 'situation_summary', 'assessment', 'health', 'free_notes']::text[]),
	CONSTRAINT "assessments_completed_check" CHECK ((status = 'draft') = (completed_at is null)),
	CONSTRAINT "assessments_superseded_check" CHECK ((status = 'superseded') = (superseded_at is not null)),
	CONSTRAINT "assessments_supersedes_self_check" CHECK (supersedes_id is null or supersedes_id <> id)
);
--> statement-breakpoint
CREATE TABLE "directory_services" (
	"id" text PRIMARY KEY NOT NULL,
	"territory_id" text,
	"organisation_id" uuid,
	"organisation_name" text NOT NULL,
	"organisation_kind" text NOT NULL,
	"name" text NOT NULL,
	"bundles" text[] NOT NULL,
	"communes_served" text[] NOT NULL,
	"waiting_time_days" integer,
	"accepts_referrals" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"document" jsonb NOT NULL,
	"last_verified_at" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_services_kind_check" CHECK (organisation_kind in ('france_services', 'ccas', 'caf', 'msa', 'cpam', 'france_travail', 'mission_locale', 'departement_social_service', 'dac', 'clic', 'association', 'other')),
	CONSTRAINT "directory_services_bundles_check" CHECK (cardinality(bundles) > 0),
	CONSTRAINT "directory_services_communes_check" CHECK (cardinality(communes_served) > 0),
	CONSTRAINT "directory_services_waiting_check" CHECK (waiting_time_days is null or waiting_time_days >= 0)
);
--> statement-breakpoint
CREATE TABLE "orientation_choices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"assessment_id" uuid,
	"service_id" text NOT NULL,
	"suggested" boolean NOT NULL,
	"suggestion_rank" integer,
	"rules_version" text,
	"reason_code" text,
	"reason_text" text,
	"chosen_by_agent_id" uuid,
	"chosen_by_organisation_id" uuid,
	"chosen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"referral_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orientation_choices_reason_check" CHECK (reason_code is null or reason_code in ('best_suggestion', 'person_preference', 'proximity', 'shorter_wait', 'continuity_of_support', 'specialised_service', 'agent_knowledge', 'other')),
	CONSTRAINT "orientation_choices_outside_reason_check" CHECK (suggested or reason_code is not null),
	CONSTRAINT "orientation_choices_rank_check" CHECK ((suggested and suggestion_rank >= 1) or (not suggested and suggestion_rank is null))
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_agent_id_agents_id_fk" FOREIGN KEY ("created_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_organisation_id_organisations_id_fk" FOREIGN KEY ("created_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_completed_by_agent_id_agents_id_fk" FOREIGN KEY ("completed_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_chosen_by_agent_id_agents_id_fk" FOREIGN KEY ("chosen_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_chosen_by_organisation_id_organisations_id_fk" FOREIGN KEY ("chosen_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orientation_choices" ADD CONSTRAINT "orientation_choices_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessments_case_idx" ON "assessments" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_case_draft_key" ON "assessments" USING btree ("case_id") WHERE status = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_case_completed_key" ON "assessments" USING btree ("case_id") WHERE status = 'completed';--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_supersedes_key" ON "assessments" USING btree ("supersedes_id") WHERE supersedes_id is not null;--> statement-breakpoint
CREATE INDEX "directory_services_bundles_idx" ON "directory_services" USING gin ("bundles");--> statement-breakpoint
CREATE INDEX "directory_services_communes_idx" ON "directory_services" USING gin ("communes_served");--> statement-breakpoint
CREATE INDEX "directory_services_territory_idx" ON "directory_services" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "orientation_choices_case_idx" ON "orientation_choices" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "orientation_choices_service_idx" ON "orientation_choices" USING btree ("service_id");