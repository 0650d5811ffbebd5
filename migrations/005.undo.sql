DROP TRIGGER point_ledger_leaderboard ON point_ledger;
DROP FUNCTION leaderboard_follow_ledger();
DROP FUNCTION leaderboard_recount(text, timestamptz);
DROP TABLE leaderboard_entries;
DROP INDEX questions_type_idx;
DROP INDEX point_ledger_user_time_idx;
ALTER TABLE users DROP COLUMN display_name;
