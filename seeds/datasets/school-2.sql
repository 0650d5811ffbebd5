-- Hidden dataset of the school schema: its tables (as in
-- seeds/schemas/school.sql), other rows. Edges for the seed questions: a
-- three-way tie for the best grade, a grade of 0, a course without enrolments
-- or teacher, a teacher who advises but does not teach, a student without an
-- advisor and three ungraded enrolments, and a year 4.
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
  (1, 'Prof. Hana Ode', 'Physics', '2008-09-01'),
  (2, 'Mr. Carl Frey', 'History', '2022-09-01'),
  (3, 'Ms. Rita Bose', 'Art', '2019-09-01');

INSERT INTO courses (id, code, title, teacher_id, credits) VALUES
  (1, 'PH210', 'Optics', 1, 5),
  (2, 'HI300', 'Modern History', 2, 4),
  (3, 'PH100', 'Waves', 1, 4),
  (4, 'AR101', 'Drawing', NULL, 2);

INSERT INTO students (id, name, year, advisor_id) VALUES
  (1, 'Nils Ek', 4, 3),
  (2, 'Maya Roy', 1, NULL),
  (3, 'Elsa Dunn', 4, 1),
  (4, 'Kofi Lamb', 2, 3),
  (5, 'Tara Quinn', 1, 2);

INSERT INTO enrollments (student_id, course_id, grade) VALUES
  (1, 1, 16), (3, 1, 16), (4, 1, 16), (2, 1, NULL),
  (2, 2, NULL), (5, 2, 20), (1, 2, 19), (4, 2, NULL),
  (2, 3, NULL), (5, 3, 0), (3, 3, 5);
