-- Grading you can trust: each question's grading settings, and what a wrong
-- submission produced, so mistakes can be grouped without running anything.

-- Nullable (NULL reads as the default), so the generated CRUD does not make
-- them required.
ALTER TABLE questions
  ADD COLUMN row_order text DEFAULT 'auto' CHECK (row_order IN ('auto', 'any', 'strict')),
  ADD COLUMN column_names text DEFAULT 'ignore' CHECK (column_names IN ('ignore', 'match')),
  ADD COLUMN numeric_tolerance double precision CHECK (numeric_tolerance >= 0 AND numeric_tolerance <= 1e9);

-- The output hash of the student's result on the visible database and the
-- first differing rows: submissions with the same output and reason are the
-- same mistake.
ALTER TABLE submissions
  ADD COLUMN output_hash text,
  ADD COLUMN expected_row jsonb,
  ADD COLUMN actual_row jsonb;
CREATE INDEX submissions_mistakes_idx ON submissions (question_id, output_hash, reason) WHERE NOT same;
