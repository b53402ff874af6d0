-- particle-bridge schema, version 11: a SenML unit per variable (RFC 8428 section 12.1 names,
-- checked by the API; '' = none), set through the device settings' Variables[].Unit and
-- written as "u" / "bu" in the SenML output.

ALTER TABLE variables ADD COLUMN unit TEXT NOT NULL DEFAULT '';
