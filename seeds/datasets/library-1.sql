-- Hidden dataset of the library schema: its tables (as in
-- seeds/schemas/library.sql), other rows. Edges for the seed questions: books
-- published exactly 1970, in 1969 and in 1850; two books called 'Collected
-- Stories' (same year, both out to one member, returned after different
-- lengths); two authors called 'Anonymous' never borrowed; an author without
-- books; two members called 'Sam Reyes'; a member who borrowed the same book
-- twice; loans across a year end and a leap day; ties in loan length.
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
  (1, 'Mirela Vance', 'Romania', 1931),
  (2, 'Anonymous', NULL, NULL),
  (3, 'Tomasz Wren', 'Poland', 1950),
  (4, 'Anonymous', NULL, NULL),
  (5, 'Ines Calder', 'Portugal', 1962),
  (6, 'Piet Hollander', 'Netherlands', 1944);

INSERT INTO books (id, title, author_id, genre, published, pages) VALUES
  (1, 'The Salt Road', 1, 'novel', 1970, 288),
  (2, 'Lanterns', 1, 'poetry', 1969, 92),
  (3, 'Old Ballads', 2, 'poetry', 1850, 140),
  (4, 'Collected Stories', 3, 'novel', 1961, 350),
  (5, 'Collected Stories', 6, 'novel', 1961, 412),
  (6, 'Night Ferry', 3, 'thriller', 1988, 301),
  (7, 'Glass Orchard', 6, 'novel', NULL, 256),
  (8, 'Riddles', 4, 'poetry', NULL, 64),
  (9, 'Winter Almanac', 1, 'reference', 2001, 180);

INSERT INTO members (id, name, member_since, phone) VALUES
  (1, 'Rosa Quint', '2020-05-01', '555-0201'),
  (2, 'Sam Reyes', '2021-03-03', NULL),
  (3, 'Alba Noor', '2022-07-07', '555-0203'),
  (4, 'Sam Reyes', '2023-09-09', '555-0204'),
  (5, 'Kai Berg', '2024-01-01', NULL),
  (6, 'Zora Minh', '2024-02-29', NULL);

INSERT INTO loans (id, book_id, member_id, loaned_on, returned_on) VALUES
  (1, 1, 1, '2024-12-20', '2025-01-09'),
  (2, 2, 1, '2024-02-20', '2024-03-01'),
  (3, 6, 3, '2024-04-01', '2024-04-21'),
  (4, 6, 3, '2024-06-01', '2024-06-08'),
  (5, 4, 2, '2024-05-05', '2024-05-15'),
  (6, 5, 4, '2024-05-10', '2024-06-09'),
  (7, 4, 5, '2024-09-01', NULL),
  (8, 5, 5, '2024-09-01', NULL),
  (9, 7, 5, '2024-08-01', '2024-08-31'),
  (10, 1, 4, '2025-02-01', NULL);
