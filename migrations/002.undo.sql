DROP TABLE hidden_datasets;
DROP TABLE submissions;
DROP TABLE point_ledger;
DROP FUNCTION apply_ledger_entry();
ALTER TABLE users DROP COLUMN points;
