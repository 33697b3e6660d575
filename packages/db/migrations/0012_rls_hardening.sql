-- Row-level security that no setting can widen (issue 18).
--
-- 1. The system actor is a role, not a setting. Until now `parcours.actor_kind = 'system'` opened every row,
--    and any session of the application role could set it. The system now works as `parcours_system`
--    (withActor switches to it), and the policies read "system" from the current role only: the application
--    role claiming it in a setting is nobody.
DO $$
BEGIN
  CREATE ROLE parcours_system NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
-- The system's privileges are the application's (inherited): its only difference is what the policies admit.
GRANT parcours_app TO parcours_system;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT parcours_system TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'parcours_system not granted to %: %', current_user, SQLERRM;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION parcours_actor_kind() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN current_user = 'parcours_system' THEN 'system'
    WHEN current_setting('parcours.actor_kind', true) = 'system' THEN ''
    ELSE coalesce(current_setting('parcours.actor_kind', true), '')
  END
$$;
--> statement-breakpoint
-- 2. No memo a session could forge. `parcours.visible_case` remembered the last case found visible, and any
--    session could write it (`set_config`) to name a foreign case. Every row is now checked against the access
--    index (one index probe, its plan cached by PL/pgSQL).
CREATE OR REPLACE FUNCTION parcours_case_check(target_case uuid) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  kind constant text := parcours_actor_kind();
BEGIN
  IF kind = 'system' THEN
    RETURN true;
  ELSIF kind = 'agent' THEN
    RETURN EXISTS (SELECT 1 FROM case_access a
                   WHERE a.case_id = target_case AND a.organisation_id = parcours_acting_organisation())
        OR (parcours_territory_scope() IS NOT NULL AND EXISTS (
              SELECT 1 FROM case_access a JOIN organisations o ON o.id = a.organisation_id
              WHERE a.case_id = target_case AND o.territory_id = parcours_territory_scope()));
  ELSIF kind = 'partner_link' THEN
    RETURN EXISTS (SELECT 1 FROM partner_links l
                   WHERE l.id = parcours_actor_id() AND l.case_id = target_case AND l.revoked_at IS NULL);
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION parcours_case_visible(target_case uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT parcours_case_check(target_case)
$$;
--> statement-breakpoint
-- 3. What a policy admits for reading, it checks for writing, and a write may not bring in what the actor
--    could not read. A case member may only name a person the actor already sees (else attaching another
--    organisation's person to one's own case would make her name readable); a consent, a contact and an
--    identity only a person the actor sees.
DROP POLICY IF EXISTS case_members_visible ON case_members;
--> statement-breakpoint
CREATE POLICY case_members_visible ON case_members
  USING (parcours_case_visible(case_id))
  WITH CHECK (parcours_case_visible(case_id) AND parcours_person_row_visible(person_id));
--> statement-breakpoint
DROP POLICY IF EXISTS consents_visible ON consents;
--> statement-breakpoint
CREATE POLICY consents_visible ON consents
  USING (
    parcours_actor_kind() = 'system'
    OR (parcours_actor_kind() = 'agent'
        AND (collected_by_organisation_id = parcours_acting_organisation()
             OR parcours_acting_organisation() = ANY (recipient_organisation_ids)))
    OR parcours_person_row_visible(person_id))
  WITH CHECK (
    parcours_actor_kind() = 'system'
    OR (parcours_actor_kind() = 'agent' AND collected_by_organisation_id = parcours_acting_organisation()
        AND parcours_person_row_visible(person_id))
    OR (parcours_actor_kind() <> 'agent' AND parcours_person_row_visible(person_id)));
--> statement-breakpoint
DROP POLICY IF EXISTS contacts_visible ON contacts;
--> statement-breakpoint
CREATE POLICY contacts_visible ON contacts
  USING (
    parcours_actor_kind() = 'system'
    OR (parcours_actor_kind() = 'agent' AND organisation_id = parcours_acting_organisation())
    OR (parcours_actor_kind() = 'agent' AND parcours_territory_scope() IS NOT NULL AND EXISTS (
        SELECT 1 FROM organisations o
        WHERE o.id = contacts.organisation_id AND o.territory_id = parcours_territory_scope())))
  WITH CHECK (
    parcours_actor_kind() = 'system'
    OR (parcours_actor_kind() = 'agent' AND organisation_id = parcours_acting_organisation()
        AND (person_id IS NULL OR parcours_person_row_visible(person_id))
        AND (case_id IS NULL OR parcours_case_visible(case_id))));
