-- Hidden dataset of the school schema: its tables (as in
-- seeds/schemas/school.sql), other rows. Edges for the seed questions: ids
-- out of name order, ties for the best grade, a grade of 0, a course without
-- enrolments, a course whose enrolments are all ungraded, two courses called
-- 'Databases' by one teacher, a teacher without a course, two students called
-- 'Ivo Marek' (same year and advisor, one ungraded enrolment each), and a
-- student with two ungraded enrolments.
CREATE TABLE teachers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  department TEXT NOT NULL,
  hired_on TEXT NOT NULL
);

CREATE TABLE courses (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  teacher_id INTEGER REFERENCES teachers(id),
  credits INTEGER NOT NULL
);

CREATE TABLE students (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  year INTEGER NOT NULL,
  advisor_id INTEGER REFERENCES teachers(id)
);

CREATE TABLE enrollments (
  student_id INTEGER NOT NULL REFERENCES students(id),
  course_id INTEGER NOT NULL REFERENCES courses(id),
  grade INTEGER,
  PRIMARY KEY (student_id, course_id)
);

INSERT INTO teachers (id, name, department, hired_on) VALUES
  (1, 'Dr. Mira Sol', 'Mathematics', '2012-09-01'),
  (2, 'Mr. Theo Grant', 'Computer Science', '2020-01-15'),
  (3, 'Ms. Ana Kuri', 'Chemistry', '2016-03-01'),
  (4, 'Dr. Luis Pena', 'Biology', '2023-09-01');

INSERT INTO courses (id, code, title, teacher_id, credits) VALUES
  (1, 'MA110', 'Calculus', 1, 6),
  (2, 'CS120', 'Databases', 2, 6),
  (3, 'CS121', 'Databases', 2, 6),
  (4, 'CH100', 'General Chemistry', 3, 5),
  (5, 'BI200', 'Genetics', NULL, 4),
  (6, 'MA250', 'Statistics', 1, 5);

INSERT INTO students (id, name, year, advisor_id) VALUES
  (1, 'Zoe Hart', 2, 1),
  (2, 'Omar Said', 1, NULL),
  (3, 'Lina Berg', 1, 4),
  (4, 'Ivo Marek', 3, 2),
  (5, 'Ava Cole', 2, 3),
  (6, 'Ivo Marek', 3, 2),
  (7, 'Ben Ito', 1, NULL);

INSERT INTO enrollments (student_id, course_id, grade) VALUES
  (1, 1, 18), (2, 1, 12), (3, 1, 18), (4, 1, 0),
  (5, 2, 20), (7, 2, NULL), (6, 2, 9),
  (4, 3, NULL), (6, 3, NULL), (1, 3, 14), (2, 3, 14),
  (5, 4, 11), (3, 4, 15), (2, 4, 7),
  (7, 6, NULL), (1, 6, NULL), (2, 6, NULL);
