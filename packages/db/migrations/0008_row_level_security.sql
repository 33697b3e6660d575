-- Row-level security on every table holding person data (issue 8).
--
-- The services switch to the role `parcours_app` in each actor transaction (`withActor`: SET LOCAL ROLE and
-- the `parcours.*` settings), on PostgreSQL and on PGlite alike. The policies are FORCED, so even the tables'
-- owner is bound by them; only a superuser or a BYPASSRLS role (the migrating administrator) is not. They are a
-- second line behind the application's policy module: a query that forgets its filter returns nothing of an
-- organisation that has no part in the case, rather than everything.
--
-- Roles are cluster-wide: create the application role once, whichever database migrates first.
DO $$
BEGIN
  CREATE ROLE parcours_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
-- The migrating role must be able to switch to it (a superuser always can; an owner with CREATEROLE needs it).
DO $$
BEGIN
  EXECUTE format('GRANT parcours_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'parcours_app not granted to %: %', current_user, SQLERRM;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO parcours_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO parcours_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO parcours_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO parcours_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO parcours_app;
--> statement-breakpoint
-- The audit and its seals are insert-only for the application (the triggers of 0006 also refuse changes
-- from anyone); the access index is written by triggers only.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_seals FROM parcours_app;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON case_access FROM parcours_app;
--> statement-breakpoint

-- Who is acting, as set by withActor. Unset (a query outside any actor transaction) reads as nobody.
CREATE FUNCTION parcours_actor_kind() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('parcours.actor_kind', true), '')
$$;
--> statement-breakpoint
CREATE FUNCTION parcours_actor_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('parcours.actor_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE FUNCTION parcours_acting_organisation() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('parcours.organisation_id', true), '')::uuid
$$;
--> statement-breakpoint
-- Set only for audit work (see Actor.territoryScope): the territory an auditor or supervisor reads across.
CREATE FUNCTION parcours_territory_scope() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('parcours.territory_scope', true), '')
$$;
--> statement-breakpoint
-- The access index: the entry point and each référent when a case is written, both ends of each referral.
-- SECURITY DEFINER because the application role may not write case_access itself.
CREATE FUNCTION parcours_index_case_access() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_TABLE_NAME = 'cases' THEN
    INSERT INTO case_access (case_id, organisation_id)
    VALUES (NEW.id, NEW.entry_organisation_id), (NEW.id, NEW.referent_organisation_id)
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO case_access (case_id, organisation_id)
    VALUES (NEW.case_id, NEW.from_organisation_id), (NEW.case_id, NEW.to_organisation_id)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cases_index_access AFTER INSERT OR UPDATE OF entry_organisation_id, referent_organisation_id ON cases
  FOR EACH ROW EXECUTE FUNCTION parcours_index_case_access();
--> statement-breakpoint
CREATE TRIGGER referrals_index_access AFTER INSERT OR UPDATE OF to_organisation_id ON referrals
  FOR EACH ROW EXECUTE FUNCTION parcours_index_case_access();
--> statement-breakpoint
INSERT INTO case_access (case_id, organisation_id)
  SELECT id, entry_organisation_id FROM cases
  UNION SELECT id, referent_organisation_id FROM cases
  UNION SELECT case_id, from_organisation_id FROM referrals
  UNION SELECT case_id, to_organisation_id FROM referrals
ON CONFLICT DO NOTHING;
--> statement-breakpoint

-- A partner link carries its referral's case, so the policies never have to read referrals to decide.
CREATE FUNCTION parcours_partner_link_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.case_id := (SELECT r.case_id FROM referrals r WHERE r.id = NEW.referral_id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER partner_links_case BEFORE INSERT OR UPDATE OF referral_id ON partner_links
  FOR EACH ROW EXECUTE FUNCTION parcours_partner_link_case();
--> statement-breakpoint
UPDATE partner_links l SET case_id = r.case_id FROM referrals r WHERE r.id = l.referral_id AND l.case_id IS NULL;
--> statement-breakpoint

-- Who sees a case: the system; an agent of an organisation it is shared with (case_access) or, in audit
-- work, of the territory in scope; a partner link issued for one of its referrals and not revoked. The
-- application's policy narrows this further (current référent, consented categories, link expiry on the
-- application's clock). PL/pgSQL on purpose: its queries are planned once per connection and cached, and
-- a policy calling it adds nothing to planning; the same test written into each policy as subqueries, or as
-- a SQL function (never inlined when it holds subqueries), was planned again with every statement, which
-- halved the engine's throughput. It reads only tables without policies (no recursion).
CREATE FUNCTION parcours_case_check(target_case uuid) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  kind constant text := parcours_actor_kind();
  visible boolean := false;
BEGIN
  IF kind = 'system' THEN
    RETURN true;
  ELSIF kind = 'agent' THEN
    visible := EXISTS (SELECT 1 FROM case_access a
                   WHERE a.case_id = target_case AND a.organisation_id = parcours_acting_organisation())
        OR (parcours_territory_scope() IS NOT NULL AND EXISTS (
              SELECT 1 FROM case_access a JOIN organisations o ON o.id = a.organisation_id
              WHERE a.case_id = target_case AND o.territory_id = parcours_territory_scope()));
  ELSIF kind = 'partner_link' THEN
    visible := EXISTS (SELECT 1 FROM partner_links l
                       WHERE l.id = parcours_actor_id() AND l.case_id = target_case AND l.revoked_at IS NULL);
  END IF;
  -- Remembered for the rest of the transaction (the actor cannot change in it, and access is never taken
  -- back within one): the rows of one case then cost a comparison each, not a call.
  IF visible THEN
    PERFORM set_config('parcours.visible_case', target_case::text, true);
  END IF;
  RETURN visible;
END
$$;
--> statement-breakpoint
-- What the policies call: a SQL function without subqueries, so PostgreSQL inlines it into the query; the
-- PL/pgSQL check runs only when the row's case is not the one last found visible. A timeline of 1,000 events
-- thus costs one check, not 1,000 calls (15–20 µs each, measured).
CREATE FUNCTION parcours_case_visible(target_case uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT current_setting('parcours.visible_case', true) = target_case::text OR parcours_case_check(target_case)
$$;
--> statement-breakpoint
-- Who sees a person: the system; an agent of the organisation that recorded them (or, in audit work, of one
-- of the territory's organisations); whoever sees a case they are a member of (case_members is under the case
-- policy, so that part follows it).
CREATE FUNCTION parcours_person_visible(person uuid, recorded_by uuid) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  kind constant text := parcours_actor_kind();
BEGIN
  IF kind = 'system' THEN
    RETURN true;
  ELSIF kind = 'agent' AND (recorded_by = parcours_acting_organisation() OR (
          parcours_territory_scope() IS NOT NULL AND EXISTS (
            SELECT 1 FROM organisations o WHERE o.id = recorded_by AND o.territory_id = parcours_territory_scope()))) THEN
    RETURN true;
  END IF;
  RETURN EXISTS (SELECT 1 FROM case_members m WHERE m.person_id = person);
END
$$;
--> statement-breakpoint
-- For the tables that hang off a person (identities, consents): the person's row is visible. Reads persons,
-- whose policy calls parcours_person_visible, never this function (no recursion).
CREATE FUNCTION parcours_person_row_visible(person uuid) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM persons p WHERE p.id = person);
END
$$;
--> statement-breakpoint
-- The policies. Cases also admit their own entry point and référent directly, so that the INSERT … RETURNING
-- that opens a case passes before the access index row exists.
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cases_visible ON cases USING (
  (parcours_actor_kind() = 'agent' AND parcours_acting_organisation() IN (entry_organisation_id, referent_organisation_id))
  OR parcours_case_visible(id)
);
--> statement-breakpoint
DO $$
DECLARE
  child text;
BEGIN
  FOREACH child IN ARRAY ARRAY['case_members', 'referrals', 'case_events', 'case_timers', 'assessments',
                               'orientation_choices', 'referent_handovers']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', child);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', child);
    EXECUTE format('CREATE POLICY %I ON %I USING (parcours_case_visible(case_id))', child || '_visible', child);
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE persons ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE persons FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY persons_visible ON persons USING (parcours_person_visible(id, created_by_organisation_id));
--> statement-breakpoint
ALTER TABLE person_identities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE person_identities FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY person_identities_visible ON person_identities USING (parcours_person_row_visible(person_id));
--> statement-breakpoint
-- A consent: its person is visible, or the acting organisation collected it or is one of its recipients.
ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The cheap column tests come first: PostgreSQL evaluates OR arms in order and stops at the first true one.
CREATE POLICY consents_visible ON consents USING (
  parcours_actor_kind() = 'system'
  OR (parcours_actor_kind() = 'agent'
      AND (collected_by_organisation_id = parcours_acting_organisation()
           OR parcours_acting_organisation() = ANY (recipient_organisation_ids)))
  OR parcours_person_row_visible(person_id)
);
--> statement-breakpoint
-- A first-level contact belongs to the organisation that answered it.
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY contacts_visible ON contacts USING (
  parcours_actor_kind() = 'system'
  OR (parcours_actor_kind() = 'agent' AND organisation_id = parcours_acting_organisation())
  OR (parcours_actor_kind() = 'agent' AND parcours_territory_scope() IS NOT NULL AND EXISTS (
      SELECT 1 FROM organisations o
      WHERE o.id = contacts.organisation_id AND o.territory_id = parcours_territory_scope()))
);
