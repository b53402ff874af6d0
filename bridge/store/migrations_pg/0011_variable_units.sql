-- particle-bridge schema (PostgreSQL), version 11: a SenML unit per variable, as in the SQLite
-- migration 0011_variable_units.sql.

ALTER TABLE variables ADD COLUMN unit text NOT NULL DEFAULT '';
