CREATE TABLE "case_access" (
	"case_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "case_access_case_id_organisation_id_pk" PRIMARY KEY("case_id","organisation_id")
);
--> statement-breakpoint
ALTER TABLE "partner_links" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "case_access" ADD CONSTRAINT "case_access_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_access" ADD CONSTRAINT "case_access_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_access_organisation_idx" ON "case_access" USING btree ("organisation_id","case_id");--> statement-breakpoint
ALTER TABLE "partner_links" ADD CONSTRAINT "partner_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;