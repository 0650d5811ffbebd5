-- A small online shop: customers place orders made of order items.
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
  (1, 'Alice Martin', 'alice@example.com', 'Lyon', '2023-01-14'),
  (2, 'Bruno Costa', 'bruno@example.com', 'Porto', '2023-02-03'),
  (3, 'Chen Wei', NULL, 'Taipei', '2023-03-22'),
  (4, 'Dana Novak', 'dana@example.com', 'Prague', '2023-05-09'),
  (5, 'Emeka Obi', 'emeka@example.com', 'Lagos', '2023-07-30'),
  (6, 'Fatima Zahra', 'fatima@example.com', NULL, '2024-01-02'),
  (7, 'Gustav Berg', NULL, 'Oslo', '2024-02-18'),
  (8, 'Hana Sato', 'hana@example.com', 'Osaka', '2024-04-11'),
  (9, 'Ivan Petrov', 'ivan@example.com', 'Sofia', '2024-06-25'),
  (10, 'Julia Rossi', 'julia@example.com', 'Lyon', '2024-09-07');

INSERT INTO products (id, name, category, price, stock) VALUES
  (1, 'Laptop', 'electronics', 999.0, 12),
  (2, 'Headphones', 'electronics', 79.9, 40),
  (3, 'Keyboard', 'electronics', 49.5, 25),
  (4, 'Desk Lamp', 'home', 29.0, 60),
  (5, 'Office Chair', 'home', 189.0, 8),
  (6, 'Coffee Beans', 'grocery', 12.5, 120),
  (7, 'Green Tea', 'grocery', 6.75, 200),
  (8, 'Notebook', 'stationery', 3.2, 500),
  (9, 'Fountain Pen', 'stationery', 45.0, 0),
  (10, 'Monitor', 'electronics', 249.0, 15);

INSERT INTO orders (id, customer_id, ordered_on, status) VALUES
  (1, 1, '2024-01-05', 'delivered'),
  (2, 2, '2024-01-19', 'delivered'),
  (3, 1, '2024-02-11', 'delivered'),
  (4, 3, '2024-03-02', 'cancelled'),
  (5, 4, '2024-03-28', 'delivered'),
  (6, 5, '2024-05-14', 'shipped'),
  (7, 2, '2024-06-01', 'delivered'),
  (8, 8, '2024-07-21', 'shipped'),
  (9, 1, '2024-09-09', 'pending'),
  (10, 9, '2024-10-30', 'delivered'),
  (11, 10, '2025-01-12', 'pending'),
  (12, 4, '2025-02-02', 'delivered');

INSERT INTO order_items (order_id, product_id, quantity) VALUES
  (1, 1, 1), (1, 2, 1),
  (2, 6, 3), (2, 7, 2),
  (3, 8, 10), (3, 3, 1),
  (4, 5, 1),
  (5, 10, 2), (5, 4, 1),
  (6, 2, 2),
  (7, 1, 1), (7, 6, 1),
  (8, 7, 5), (8, 8, 4),
  (9, 4, 2),
  (10, 3, 1), (10, 2, 1), (10, 10, 1),
  (11, 6, 6),
  (12, 5, 2), (12, 8, 3);
