DROP INDEX submissions_user_question_idx;
DROP TABLE challenges;
