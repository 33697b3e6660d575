-- Coded reference lists; packages/journey/src/reference-codes.ts holds the same (a test keeps them equal).
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'information_given', 'Information donnée, la demande est satisfaite');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'rights_opened_on_spot', 'Droits ouverts lors de l’accueil');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'needs_met', 'Besoins couverts par l’accompagnement');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'person_withdrew', 'La personne ne souhaite plus être accompagnée');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'moved_out', 'La personne a quitté le territoire');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'handled_elsewhere', 'Situation prise en charge par une autre structure');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'lost_contact', 'Perte de contact');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'deceased', 'Décès');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('closure_reason', 'duplicate_case', 'Dossier en double');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'not_eligible', 'La personne ne remplit pas les conditions du service');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'out_of_territory', 'Hors du territoire desservi');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'service_full', 'Service saturé, pas de place disponible');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'missing_information', 'Informations insuffisantes pour instruire');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'person_unreachable', 'Personne injoignable');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'person_refused', 'La personne a refusé l’accompagnement proposé');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'better_suited_elsewhere', 'Un autre service est plus adapté');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('decline_reason', 'duplicate', 'Orientation en double');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('non_take_up_reason', 'non_knowledge', 'Non-connaissance : l’offre n’est pas connue');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('non_take_up_reason', 'non_request', 'Non-demande : l’offre est connue mais pas demandée');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('non_take_up_reason', 'non_reception', 'Non-réception : l’offre est demandée mais pas obtenue');--> statement-breakpoint
INSERT INTO "reference_codes" ("list", "code", "label_fr") VALUES ('non_take_up_reason', 'non_proposal', 'Non-proposition : l’offre n’a pas été proposée par un agent');
