-- Surviving mutants a teacher judged equivalent to the reference answer (no
-- data can tell them apart), each with why: [{ "query": ..., "reason": ... }].
-- The quality score leaves them out. NULL reads as none.
ALTER TABLE questions ADD COLUMN equivalent_mutants jsonb
  CHECK (equivalent_mutants IS NULL OR jsonb_typeof(equivalent_mutants) = 'array');
