-- A lending library: books by authors, borrowed by members through loans.
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
  (1, 'Ursula K. Le Guin', 'USA', 1929),
  (2, 'Chinua Achebe', 'Nigeria', 1930),
  (3, 'Italo Calvino', 'Italy', 1923),
  (4, 'Haruki Murakami', 'Japan', 1949),
  (5, 'Wisława Szymborska', 'Poland', 1923),
  (6, 'Gabriel García Márquez', 'Colombia', 1927),
  (7, 'Anonymous', NULL, NULL),
  (8, 'Tove Jansson', 'Finland', 1914);

INSERT INTO books (id, title, author_id, genre, published, pages) VALUES
  (1, 'A Wizard of Earthsea', 1, 'fantasy', 1968, 183),
  (2, 'The Dispossessed', 1, 'science fiction', 1974, 387),
  (3, 'Things Fall Apart', 2, 'novel', 1958, 209),
  (4, 'Invisible Cities', 3, 'novel', 1972, 165),
  (5, 'If on a Winter''s Night a Traveler', 3, 'novel', 1979, 260),
  (6, 'Kafka on the Shore', 4, 'novel', 2002, 505),
  (7, 'View with a Grain of Sand', 5, 'poetry', 1993, 216),
  (8, 'One Hundred Years of Solitude', 6, 'novel', 1967, 417),
  (9, 'The Epic of Gilgamesh', 7, 'poetry', NULL, 120),
  (10, 'Finn Family Moomintroll', 8, 'fantasy', 1948, 170),
  (11, 'The Left Hand of Darkness', 1, 'science fiction', 1969, 304),
  (12, 'Norwegian Wood', 4, 'novel', 1987, 296);

INSERT INTO members (id, name, member_since, phone) VALUES
  (1, 'Amara Diallo', '2021-09-01', '555-0101'),
  (2, 'Ben Okafor', '2022-01-15', NULL),
  (3, 'Clara Schmidt', '2022-03-10', '555-0103'),
  (4, 'Diego Alvarez', '2023-06-21', '555-0104'),
  (5, 'Elif Yilmaz', '2023-11-02', NULL),
  (6, 'Farah Khan', '2024-02-29', '555-0106'),
  (7, 'Goran Ilic', '2024-08-08', '555-0107'),
  (8, 'Hiro Tanaka', '2025-01-20', NULL);

INSERT INTO loans (id, book_id, member_id, loaned_on, returned_on) VALUES
  (1, 1, 1, '2024-01-03', '2024-01-20'),
  (2, 3, 2, '2024-01-10', '2024-02-01'),
  (3, 6, 1, '2024-02-02', '2024-02-28'),
  (4, 8, 3, '2024-02-15', NULL),
  (5, 2, 4, '2024-03-01', '2024-03-15'),
  (6, 1, 5, '2024-03-05', '2024-03-30'),
  (7, 10, 6, '2024-04-12', NULL),
  (8, 12, 1, '2024-05-01', '2024-05-19'),
  (9, 4, 3, '2024-05-20', '2024-06-02'),
  (10, 6, 7, '2024-06-11', NULL),
  (11, 11, 2, '2024-07-04', '2024-07-30'),
  (12, 1, 4, '2024-08-15', '2024-09-01'),
  (13, 7, 5, '2024-09-09', NULL),
  (14, 3, 1, '2024-10-01', '2024-10-21');
