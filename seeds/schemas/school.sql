-- A school term: teachers run courses, students enrol and get grades.
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
  (1, 'Dr. Ada Byron', 'Computer Science', '2015-09-01'),
  (2, 'Prof. Kofi Mensah', 'Mathematics', '2010-02-15'),
  (3, 'Dr. Lena Fischer', 'Physics', '2018-08-20'),
  (4, 'Mr. Rahul Mehta', 'Computer Science', '2021-01-10'),
  (5, 'Ms. Sofia Lind', 'History', '2019-09-01');

INSERT INTO courses (id, code, title, teacher_id, credits) VALUES
  (1, 'CS101', 'Introduction to Programming', 1, 6),
  (2, 'CS210', 'Databases', 4, 6),
  (3, 'MA101', 'Linear Algebra', 2, 5),
  (4, 'MA201', 'Probability', 2, 5),
  (5, 'PH101', 'Mechanics', 3, 4),
  (6, 'HI150', 'History of Science', 5, 3),
  (7, 'CS330', 'Distributed Systems', NULL, 6);

INSERT INTO students (id, name, year, advisor_id) VALUES
  (1, 'Aiko Mori', 1, 1),
  (2, 'Bilal Hassan', 2, 2),
  (3, 'Carmen Ortiz', 3, 1),
  (4, 'David Kim', 1, NULL),
  (5, 'Eva Horvat', 2, 3),
  (6, 'Felix Wagner', 3, 4),
  (7, 'Grace Ncube', 1, 2),
  (8, 'Hugo Laurent', 2, NULL),
  (9, 'Ines Duarte', 3, 5),
  (10, 'Jonas Berg', 1, 4);

INSERT INTO enrollments (student_id, course_id, grade) VALUES
  (1, 1, 17), (1, 3, 14), (1, 6, NULL),
  (2, 1, 12), (2, 2, 15), (2, 4, 9),
  (3, 2, 18), (3, 5, 11), (3, 7, 16),
  (4, 1, NULL), (4, 3, 10),
  (5, 3, 19), (5, 5, 15), (5, 4, 13),
  (6, 2, 8), (6, 7, 14),
  (7, 1, 15), (7, 6, 12),
  (8, 4, NULL), (8, 5, 7),
  (9, 6, 20), (9, 2, 13),
  (10, 1, 11), (10, 3, NULL);
