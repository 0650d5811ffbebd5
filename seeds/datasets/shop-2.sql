-- Hidden dataset of the shop schema: its tables (as in seeds/schemas/shop.sql),
-- other rows. Edges for the seed questions: a 'returned' order (not cancelled,
-- not delivered), whole prices so one order's value is exactly the average
-- order value, a customer with two orders above it and another customer of
-- the same name with one, the third most expensive product under 100, and a
-- customer with neither email nor city.
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
  (1, 'Ana Pereira', 'ana@example.org', 'Braga', '2022-11-01'),
  (2, 'Ben Adler', 'ben@example.org', 'Vienna', '2023-01-20'),
  (3, 'Cleo Grant', NULL, NULL, '2023-02-02'),
  (4, 'Dev Patel', 'dev@example.org', 'Pune', '2023-10-10'),
  (5, 'Eli Moreau', 'eli@example.org', 'Nantes', '2024-06-06'),
  (6, 'Ana Pereira', 'ana.p@example.org', 'Lisbon', '2024-08-15');

INSERT INTO products (id, name, category, price, stock) VALUES
  (1, 'Phone', 'electronics', 640.0, 9),
  (2, 'Charger', 'electronics', 20.0, 75),
  (3, 'Earbuds', 'electronics', 95.0, 30),
  (4, 'Armchair', 'home', 180.0, 2),
  (5, 'Candle', 'home', 15.0, 140),
  (6, 'Tea Tin', 'grocery', 10.0, 60),
  (7, 'Pencil Set', 'stationery', 6.0, 0),
  (8, 'Radio', 'electronics', 60.0, 12);

INSERT INTO orders (id, customer_id, ordered_on, status) VALUES
  (1, 1, '2024-11-02', 'delivered'),
  (2, 2, '2024-11-05', 'returned'),
  (3, 1, '2024-11-09', 'delivered'),
  (4, 3, '2024-11-12', 'shipped'),
  (5, 4, '2024-11-20', 'cancelled'),
  (6, 4, '2024-11-28', 'pending'),
  (7, 6, '2024-12-01', 'delivered');

INSERT INTO order_items (order_id, product_id, quantity) VALUES
  (1, 1, 1),
  (2, 4, 1), (2, 5, 10),
  (3, 3, 4), (3, 2, 1),
  (4, 4, 1), (4, 2, 1),
  (5, 4, 1),
  (6, 8, 1), (6, 6, 2),
  (7, 3, 4), (7, 2, 5);
