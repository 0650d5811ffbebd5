-- Hidden dataset of the shop schema: its tables (as in seeds/schemas/shop.sql),
-- other rows. Edges for the seed questions: electronics priced exactly 100 and
-- 99.99, two identical 'USB Cable' products, two customers called 'Sam Carter'
-- without an email, a delivered order holding two products called 'Notebook',
-- a delivered order without items, a cancelled order worth more than the
-- average order, a category ordered only in that cancelled order, one never
-- ordered, and four products above any cut-off between 100 and 189.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT UNIQUE,
  city TEXT,
  joined_on TEXT NOT NULL
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  price REAL NOT NULL,
  stock INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  ordered_on TEXT NOT NULL,
  status TEXT NOT NULL
);

CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

INSERT INTO customers (id, name, email, city, joined_on) VALUES
  (1, 'Mara Ivanova', 'mara@example.net', 'Varna', '2023-04-02'),
  (2, 'Sam Carter', NULL, 'Leeds', '2023-06-10'),
  (3, 'Tomas Ruiz', 'tomas@example.net', NULL, '2023-08-19'),
  (4, 'Sam Carter', NULL, 'York', '2024-01-07'),
  (5, 'Leila Haddad', 'leila@example.net', 'Beirut', '2024-02-14'),
  (6, 'Owen Price', NULL, 'Cardiff', '2024-03-30'),
  (7, 'Yuki Abe', 'yuki@example.net', 'Kyoto', '2024-05-05'),
  (8, 'Kwame Asante', 'kwame@example.net', 'Accra', '2024-07-21');

INSERT INTO products (id, name, category, price, stock) VALUES
  (1, 'Tablet', 'electronics', 100.0, 5),
  (2, 'USB Cable', 'electronics', 9.99, 300),
  (3, 'USB Cable', 'electronics', 9.99, 150),
  (4, 'Smart Speaker', 'electronics', 99.99, 20),
  (5, 'Camera', 'electronics', 450.0, 7),
  (6, 'Notebook', 'electronics', 1450.0, 4),
  (7, 'Notebook', 'stationery', 2.5, 800),
  (8, 'Bookshelf', 'home', 199.0, 6),
  (9, 'Rug', 'home', 100.0, 11),
  (10, 'Olive Oil', 'grocery', 8.4, 90),
  (11, 'Puzzle', 'toys', 15.0, 30),
  (12, 'Garden Hose', 'garden', 25.0, 0),
  (13, 'Espresso Machine', 'home', 310.0, 3);

INSERT INTO orders (id, customer_id, ordered_on, status) VALUES
  (1, 1, '2024-03-01', 'delivered'),
  (2, 2, '2024-03-03', 'delivered'),
  (3, 3, '2024-03-04', 'shipped'),
  (4, 5, '2024-03-08', 'cancelled'),
  (5, 1, '2024-03-09', 'delivered'),
  (6, 8, '2024-03-12', 'pending'),
  (7, 4, '2024-03-15', 'delivered'),
  (8, 6, '2024-03-20', 'delivered');

INSERT INTO order_items (order_id, product_id, quantity) VALUES
  (1, 6, 1), (1, 7, 3),
  (2, 2, 2), (2, 10, 1),
  (3, 5, 1), (3, 9, 1),
  (4, 11, 2), (4, 8, 1), (4, 5, 1),
  (6, 4, 1), (6, 3, 1),
  (7, 13, 1), (7, 10, 2),
  (8, 1, 3), (8, 7, 4);
