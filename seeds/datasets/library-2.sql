-- Hidden dataset of the library schema: its tables (as in
-- seeds/schemas/library.sql), other rows. Edges for the seed questions: books
-- published in 1969 and 1970; an author with two books never borrowed; a loan
-- returned the day it was made; a book with a short and a long returned loan.
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  country TEXT,
  born INTEGER
);

CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES authors(id),
  genre TEXT NOT NULL,
  published INTEGER,
  pages INTEGER
);

CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  member_since TEXT NOT NULL,
  phone TEXT
);

CREATE TABLE loans (
  id INTEGER PRIMARY KEY,
  book_id INTEGER NOT NULL REFERENCES books(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  loaned_on TEXT NOT NULL,
  returned_on TEXT
);

INSERT INTO authors (id, name, country, born) VALUES
  (1, 'Greta Holm', 'Sweden', 1958),
  (2, 'Oren Blake', 'Canada', 1975),
  (3, 'Lucia Ferri', 'Italy', 1940);

INSERT INTO books (id, title, author_id, genre, published, pages) VALUES
  (1, 'Harbour Lights', 1, 'novel', 1969, 240),
  (2, 'North of Nowhere', 1, 'novel', 1970, 310),
  (3, 'Maps and Margins', 2, 'essays', 2015, 150),
  (4, 'The Quiet Engine', 2, 'science fiction', 2019, 420),
  (5, 'Terracotta', 3, 'poetry', NULL, 96),
  (6, 'Bread and Salt', 3, 'novel', 1952, 280);

INSERT INTO members (id, name, member_since, phone) VALUES
  (1, 'Yara Stone', '2019-01-01', NULL),
  (2, 'Bo Chen', '2020-02-02', '555-0302'),
  (3, 'Ada Park', '2021-03-03', '555-0303');

INSERT INTO loans (id, book_id, member_id, loaned_on, returned_on) VALUES
  (1, 1, 1, '2024-03-01', '2024-03-01'),
  (2, 2, 1, '2024-03-10', '2024-04-10'),
  (3, 6, 2, '2024-05-01', '2024-05-06'),
  (4, 1, 2, '2024-06-01', NULL),
  (5, 2, 1, '2024-12-30', NULL),
  (6, 6, 3, '2024-07-15', NULL),
  (7, 6, 1, '2023-12-25', '2024-01-15');
