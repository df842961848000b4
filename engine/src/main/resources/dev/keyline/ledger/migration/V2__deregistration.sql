-- keyline deregister: three additive columns of device_registration (earlier ledgers gain them, empty).
-- thing_created: whether the registration made the thing it attached the certificate to (Registrar lists the
-- thing's principals before CreateThing: "not found" means it made it). TRUE only then; FALSE when the thing existed
-- or the route cannot tell (template, bulk task); NULL on rows registered before the column existed. Only a TRUE
-- thing is ever deleted by keyline deregister.
-- withdrawal_reason: the --reason of the keyline deregister that marked the row DEREGISTERING or REVOKING; it stays
-- with the row once DEREGISTERED or REVOKED (the time is updated_at).
-- thing_outcome: what deregistering did with the thing: NONE, DELETED, KEPT_NOT_KEYLINES, KEPT_IN_USE.
ALTER TABLE device_registration ADD COLUMN IF NOT EXISTS thing_created BOOLEAN;
ALTER TABLE device_registration ADD COLUMN IF NOT EXISTS withdrawal_reason VARCHAR(2000);
ALTER TABLE device_registration ADD COLUMN IF NOT EXISTS thing_outcome VARCHAR(24);
