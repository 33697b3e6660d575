CREATE TABLE "person_links" (
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"linked_by_agent_id" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "person_links_person_id_organisation_id_pk" PRIMARY KEY("person_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "person_match_keys" (
	"person_id" uuid NOT NULL,
	"territory_id" text NOT NULL,
	"key" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "person_match_keys_person_id_key_pk" PRIMARY KEY("person_id","key")
);
--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_linked_by_agent_id_agents_id_fk" FOREIGN KEY ("linked_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_match_keys" ADD CONSTRAINT "person_match_keys_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_match_keys" ADD CONSTRAINT "person_match_keys_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_match_keys" ADD CONSTRAINT "person_match_keys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_match_keys_lookup" ON "person_match_keys" USING btree ("territory_id","key");--> statement-breakpoint
-- One person across structures (issue 16). Granted explicitly: default privileges follow the role that migrates.
GRANT SELECT, INSERT, UPDATE, DELETE ON person_match_keys, person_links TO parcours_app;
--> statement-breakpoint
-- Keys hide names (keyed digests): any agent may compare with them, which tells only that a person is known
-- in the territory and which structure recorded her; a partner link never reaches them.
ALTER TABLE person_match_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE person_match_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY person_match_keys_agents ON person_match_keys USING (parcours_actor_kind() IN ('agent', 'system'));
--> statement-breakpoint
-- A link says only that a structure follows a person (ids): agents may read them (the person's export lists
-- them; the person policy below reads the acting structure's own). A structure links for itself only, and a
-- link is never changed nor removed by the application.
ALTER TABLE person_links ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE person_links FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY person_links_read ON person_links FOR SELECT USING (parcours_actor_kind() IN ('agent', 'system'));
--> statement-breakpoint
CREATE POLICY person_links_write ON person_links FOR INSERT WITH CHECK (
  parcours_actor_kind() = 'system'
  OR (parcours_actor_kind() = 'agent' AND organisation_id = parcours_acting_organisation())
);
--> statement-breakpoint
-- Who sees a person, now also: an agent of a structure that linked its contact to her (person_links).
CREATE OR REPLACE FUNCTION parcours_person_visible(person uuid, recorded_by uuid) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  kind constant text := parcours_actor_kind();
BEGIN
  IF kind = 'system' THEN
    RETURN true;
  ELSIF kind = 'agent' AND (recorded_by = parcours_acting_organisation() OR (
          parcours_territory_scope() IS NOT NULL AND EXISTS (
            SELECT 1 FROM organisations o WHERE o.id = recorded_by AND o.territory_id = parcours_territory_scope()))) THEN
    RETURN true;
  ELSIF kind = 'agent' AND EXISTS (
          SELECT 1 FROM person_links l WHERE l.person_id = person AND l.organisation_id = parcours_acting_organisation()) THEN
    RETURN true;
  END IF;
  RETURN EXISTS (SELECT 1 FROM case_members m WHERE m.person_id = person);
END
$$;
