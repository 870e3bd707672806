-- A programme's budget as its documents state it (issue 25): PL15-0032 cost EUR 338,262 as planned and 306,408 in the end,
-- EUR 255,252 of it from the Norway Grants. All amounts in one currency (ISO 4217); none of it, or only some, may be known.
ALTER TABLE projects ADD COLUMN budget_currency TEXT NULL CHECK (budget_currency IS NULL OR (length(budget_currency) = 3 AND budget_currency = upper(budget_currency)));
ALTER TABLE projects ADD COLUMN budget_initial REAL NULL CHECK (budget_initial IS NULL OR budget_initial >= 0);
ALTER TABLE projects ADD COLUMN budget_final REAL NULL CHECK (budget_final IS NULL OR budget_final >= 0);
ALTER TABLE projects ADD COLUMN budget_granted REAL NULL CHECK (budget_granted IS NULL OR budget_granted >= 0);
ALTER TABLE projects ADD COLUMN budget_note TEXT NULL;
