DROP INDEX submissions_mistakes_idx;
ALTER TABLE submissions DROP COLUMN output_hash, DROP COLUMN expected_row, DROP COLUMN actual_row;
ALTER TABLE questions DROP COLUMN row_order, DROP COLUMN column_names, DROP COLUMN numeric_tolerance;
