DROP TABLE questions;
DROP TABLE schemas;
DROP TABLE users;
DROP TABLE groups;
DROP FUNCTION touch_updated_at();
