ALTER TABLE questions DROP COLUMN equivalent_mutants;
