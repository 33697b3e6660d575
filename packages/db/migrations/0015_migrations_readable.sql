-- The services' readiness check (`GET /ready`) compares the newest migration applied with the newest their code
-- ships: the application role may read drizzle's record of applied migrations (ids, hashes and instants).
GRANT USAGE ON SCHEMA drizzle TO parcours_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO parcours_app;
