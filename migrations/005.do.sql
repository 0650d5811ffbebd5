-- Learners: the name a user shows on the leaderboard, and a summary of the
-- points earned and questions solved per user and period, kept by a trigger
-- on the ledger (whatever writes a 'solved' row, the summary follows), so
-- the leaderboard reads one index range instead of summing the ledger.

-- The latest display name the gateway forwarded (the token's name or
-- username claim); NULL: the leaderboard shows a pseudonym.
ALTER TABLE users ADD COLUMN display_name text CHECK (length(display_name) BETWEEN 1 AND 100);

-- A user's ledger newest first (GET /me/points), and a user's solves in a
-- period (the summary's recount below).
CREATE INDEX point_ledger_user_time_idx ON point_ledger (user_id, created_at DESC, id DESC);

-- Question types and their counts (GET /categories), and the type filter.
CREATE INDEX questions_type_idx ON questions (type, id);

-- One row per user and period in which the user solved something.
-- period 'day' starts on a UTC day, 'week' on the Monday (UTC) of an ISO
-- week, 'all' on -infinity. points: earned by solving in the period (the
-- welcome points and solution costs are not earned); solved: questions first
-- solved in the period; *_reached_at: when the total was reached (the last
-- solve that raised it), which breaks ties: whoever got there first ranks higher.
CREATE TABLE leaderboard_entries (
  period text NOT NULL CHECK (period IN ('day', 'week', 'all')),
  starts date NOT NULL,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  points integer NOT NULL,
  solved integer NOT NULL CHECK (solved > 0),
  points_reached_at timestamptz NOT NULL,
  solved_reached_at timestamptz NOT NULL,
  PRIMARY KEY (period, starts, user_id)
);
-- A page of a leaderboard is one range of one of these, in order, read from
-- the index alone (the other count is included).
CREATE INDEX leaderboard_by_points_idx ON leaderboard_entries (period, starts, points DESC, points_reached_at, user_id) INCLUDE (solved);
CREATE INDEX leaderboard_by_solved_idx ON leaderboard_entries (period, starts, solved DESC, solved_reached_at, user_id) INCLUDE (points);
-- Deleting a user removes their rows.
CREATE INDEX leaderboard_entries_user_idx ON leaderboard_entries (user_id);
-- period and starts go together ('all' always starts on -infinity): told to
-- the planner, so it knows how many rows a period holds and reads the index.
CREATE STATISTICS leaderboard_entries_period_starts (dependencies, mcv) ON period, starts FROM leaderboard_entries;

-- Recounts a user's entries of the periods that contain `at` from the
-- ledger. Recounting (rather than adding) keeps the summary equal to the
-- ledger whatever happened to a row (inserted, aged, deleted). The user's
-- row is locked first, so two recounts of one user run one after the other
-- and the second sees what the first committed. NO KEY UPDATE, the lock the
-- ledger's balance update takes anyway: it does not wait for the key-share
-- locks that inserting a user's submissions takes, so nothing deadlocks.
CREATE FUNCTION leaderboard_recount(target_user text, at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  day_start date := (at AT TIME ZONE 'UTC')::date;
  week_start date := date_trunc('week', at AT TIME ZONE 'UTC')::date;
BEGIN
  PERFORM 1 FROM users WHERE id = target_user FOR NO KEY UPDATE;
  -- The user is being deleted: their entries go with them.
  IF NOT FOUND THEN RETURN; END IF;
  WITH periods (period, starts, from_time, to_time) AS (
    VALUES
      ('day', day_start, day_start::timestamp AT TIME ZONE 'UTC', (day_start + 1)::timestamp AT TIME ZONE 'UTC'),
      ('week', week_start, week_start::timestamp AT TIME ZONE 'UTC', (week_start + 7)::timestamp AT TIME ZONE 'UTC'),
      ('all', '-infinity'::date, '-infinity'::timestamptz, 'infinity'::timestamptz)
  ), counts AS (
    SELECT p.period, p.starts,
      COALESCE(sum(l.amount), 0)::integer AS points,
      count(l.id)::integer AS solved,
      COALESCE(max(l.created_at) FILTER (WHERE l.amount <> 0), '-infinity') AS points_reached_at,
      max(l.created_at) AS solved_reached_at
    FROM periods p
    LEFT JOIN point_ledger l ON l.user_id = target_user AND l.reason = 'solved'
      AND l.created_at >= p.from_time AND l.created_at < p.to_time
    GROUP BY p.period, p.starts
  ), emptied AS (
    DELETE FROM leaderboard_entries e USING counts c
    WHERE e.period = c.period AND e.starts = c.starts AND e.user_id = target_user AND c.solved = 0
  )
  INSERT INTO leaderboard_entries (period, starts, user_id, points, solved, points_reached_at, solved_reached_at)
  SELECT period, starts, target_user, points, solved, points_reached_at, solved_reached_at FROM counts WHERE solved > 0
  ON CONFLICT (period, starts, user_id) DO UPDATE SET
    points = EXCLUDED.points, solved = EXCLUDED.solved,
    points_reached_at = EXCLUDED.points_reached_at, solved_reached_at = EXCLUDED.solved_reached_at;
END;
$$;

CREATE FUNCTION leaderboard_follow_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.reason = 'solved' THEN
    PERFORM leaderboard_recount(OLD.user_id, OLD.created_at);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.reason = 'solved' THEN
    PERFORM leaderboard_recount(NEW.user_id, NEW.created_at);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER point_ledger_leaderboard
  AFTER INSERT OR DELETE OR UPDATE OF user_id, amount, reason, created_at ON point_ledger
  FOR EACH ROW EXECUTE FUNCTION leaderboard_follow_ledger();

-- The solves recorded before this migration.
INSERT INTO leaderboard_entries (period, starts, user_id, points, solved, points_reached_at, solved_reached_at)
SELECT p.period, p.starts, l.user_id, sum(l.amount)::integer, count(*)::integer,
  COALESCE(max(l.created_at) FILTER (WHERE l.amount <> 0), '-infinity'), max(l.created_at)
FROM point_ledger l
CROSS JOIN LATERAL (VALUES
  ('day', (l.created_at AT TIME ZONE 'UTC')::date),
  ('week', date_trunc('week', l.created_at AT TIME ZONE 'UTC')::date),
  ('all', '-infinity'::date)
) AS p (period, starts)
WHERE l.reason = 'solved'
GROUP BY p.period, p.starts, l.user_id;
