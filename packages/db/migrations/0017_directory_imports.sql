CREATE TABLE "directory_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"file_name" text,
	"content" text NOT NULL,
	"structures_content" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer,
	"processed" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "directory_imports_status_check" CHECK (status in ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "directory_imports" ADD CONSTRAINT "directory_imports_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_imports_territory_idx" ON "directory_imports" USING btree ("territory_id","created_at");--> statement-breakpoint
-- Directory data only: no row-level security; the desk's policy decides who follows which import.
-- Granted explicitly: default privileges follow the role that migrates.
GRANT SELECT, INSERT, UPDATE, DELETE ON directory_imports TO parcours_app;
