// Other answers to the seed questions, kept to check the seeds' data (see
// test/foundation/seeds.test.ts). A right answer must match the reference
// on the visible schema and on every hidden dataset, so the data never
// punishes another correct spelling (no ties at a LIMIT, no rows a correct
// ORDER BY could put either way). A wrong answer must differ on at least one
// of them: that is what the hidden datasets' edge rows are for.
// Keys are the questions' titles in seeds/catalogue.bank.json.

export interface AnswerVariants {
  right: string[]
  wrong: string[]
}

export const answerVariants: Record<string, AnswerVariants> = {
  'Electronics under 100': {
    right: [
      "SELECT name, price FROM products WHERE price < 100.0 AND category IN ('electronics') ORDER BY name",
      "SELECT p.name, p.price FROM products p WHERE NOT (p.price >= 100) AND p.category = 'electronics'"
    ],
    wrong: [
      "SELECT name, price FROM products WHERE category = 'electronics' AND price <= 100",
      "SELECT name, price FROM products WHERE category = 'electronics' AND price BETWEEN 0 AND 100",
      "SELECT name, price FROM products WHERE price < 100",
      "SELECT DISTINCT name, price FROM products WHERE category = 'electronics' AND price < 100",
      // a cut-off fitted to the visible prices
      "SELECT name, price FROM products WHERE category = 'electronics' AND price < 80"
    ]
  },
  'Three most expensive products': {
    right: [
      'SELECT name, price FROM products ORDER BY price DESC, name LIMIT 3',
      'SELECT name, price FROM products ORDER BY price DESC, id DESC LIMIT 3',
      'SELECT name, price FROM products p WHERE (SELECT count(*) FROM products q WHERE q.price > p.price) < 3 ORDER BY price DESC'
    ],
    wrong: [
      'SELECT name, price FROM products ORDER BY price LIMIT 3',
      'SELECT name, price FROM products ORDER BY price DESC LIMIT 4',
      'SELECT name, MAX(price) FROM products GROUP BY category ORDER BY 2 DESC LIMIT 3',
      // cut-offs fitted to the visible prices
      'SELECT name, price FROM products WHERE price > 150 ORDER BY price DESC',
      'SELECT name, price FROM products WHERE price >= 100 ORDER BY price DESC'
    ]
  },
  'Who ordered what': {
    right: [
      "SELECT o.id, c.name, p.name FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = i.product_id WHERE o.status IN ('delivered') ORDER BY 1, 3, 2",
      "SELECT o.id, c.name, p.name FROM orders o LEFT JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id, p.name, p.id"
    ],
    wrong: [
      'SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id ORDER BY o.id, p.name',
      "SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status <> 'cancelled' ORDER BY o.id, p.name",
      "SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id, p.name",
      "SELECT DISTINCT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id, p.name",
      "SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id",
      "SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id, p.id"
    ]
  },
  'Revenue per category': {
    right: [
      "SELECT p.category, ROUND(SUM(i.quantity * p.price), 2) FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status != 'cancelled' GROUP BY 1 ORDER BY 2 DESC",
      "SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id NOT IN (SELECT id FROM orders WHERE status = 'cancelled') GROUP BY p.category ORDER BY revenue DESC, p.category"
    ],
    wrong: [
      'SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.category ORDER BY revenue DESC',
      "SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status = 'delivered' GROUP BY p.category ORDER BY revenue DESC",
      // the statuses seen in the visible data, listed instead of excluding 'cancelled'
      "SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status IN ('delivered', 'shipped', 'pending') GROUP BY p.category ORDER BY revenue DESC",
      "SELECT p.category, ROUND(SUM(p.price), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC",
      "SELECT p.category, SUM(p.price * i.quantity) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC",
      "SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM products p LEFT JOIN order_items i ON i.product_id = p.id LEFT JOIN orders o ON o.id = i.order_id AND o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC"
    ]
  },
  'Customers without an email': {
    right: [
      'SELECT c.name FROM customers c WHERE c.email IS NULL ORDER BY c.name',
      "SELECT name FROM customers WHERE COALESCE(email, '') = ''"
    ],
    wrong: [
      'SELECT DISTINCT name FROM customers WHERE email IS NULL',
      'SELECT name FROM customers WHERE email = NULL',
      "SELECT name FROM customers WHERE email NOT LIKE '%@%'",
      'SELECT name FROM customers WHERE city IS NULL OR email IS NULL'
    ]
  },
  'Customers above the average order value': {
    right: [
      'SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN (SELECT order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY order_id) v ON v.order_id = o.id WHERE v.value > (SELECT AVG(t) FROM (SELECT SUM(p.price * i.quantity) AS t FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id)) GROUP BY c.name ORDER BY c.name',
      // another reading: an order without items is worth 0 and counts in the average
      'WITH v AS (SELECT o.id, o.customer_id, COALESCE(SUM(p.price * i.quantity), 0) AS value FROM orders o LEFT JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id GROUP BY o.id) SELECT DISTINCT c.name FROM customers c JOIN v ON v.customer_id = c.id WHERE v.value > (SELECT AVG(value) FROM v) ORDER BY c.name'
    ],
    wrong: [
      'WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value > (SELECT AVG(value) FROM v) ORDER BY c.name',
      'WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value >= (SELECT AVG(value) FROM v) ORDER BY c.name',
      'WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value > (SELECT AVG(p.price * i.quantity) FROM order_items i JOIN products p ON p.id = i.product_id) ORDER BY c.name',
      'WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value > (SELECT AVG(price) FROM products) ORDER BY c.name',
      "WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY i.order_id) SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value > (SELECT AVG(value) FROM v) ORDER BY c.name",
      // one row per customer rather than per name
      'WITH v AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN v ON v.order_id = o.id WHERE v.value > (SELECT AVG(value) FROM v) GROUP BY c.id ORDER BY c.name'
    ]
  },
  'Books published before 1970': {
    right: [
      'SELECT title, published FROM books WHERE published <= 1969 ORDER BY title',
      'SELECT b.title, b.published FROM books b WHERE NOT b.published >= 1970'
    ],
    wrong: [
      'SELECT title, published FROM books WHERE published <= 1970',
      'SELECT DISTINCT title, published FROM books WHERE published < 1970',
      'SELECT title, published FROM books WHERE published BETWEEN 1900 AND 1969',
      'SELECT title, published FROM books WHERE published < 1970 OR published IS NULL'
    ]
  },
  'Books still out': {
    right: [
      'SELECT b.title, m.name FROM books b JOIN loans l ON l.book_id = b.id JOIN members m ON m.id = l.member_id WHERE l.returned_on IS NULL ORDER BY 1, 2',
      'SELECT (SELECT title FROM books WHERE id = l.book_id), (SELECT name FROM members WHERE id = l.member_id) FROM loans l WHERE l.returned_on IS NULL'
    ],
    wrong: [
      'SELECT DISTINCT b.title, m.name FROM loans l JOIN books b ON b.id = l.book_id JOIN members m ON m.id = l.member_id WHERE l.returned_on IS NULL',
      'SELECT b.title, m.name FROM loans l JOIN books b ON b.id = l.book_id JOIN members m ON m.id = l.member_id WHERE l.returned_on IS NULL GROUP BY b.title, m.name',
      'SELECT b.title, m.name FROM loans l JOIN books b ON b.id = l.book_id JOIN members m ON m.id = l.member_id WHERE l.returned_on IS NOT NULL',
      "SELECT b.title, m.name FROM loans l JOIN books b ON b.id = l.book_id JOIN members m ON m.id = l.member_id WHERE l.returned_on = ''"
    ]
  },
  'Loans per member': {
    right: [
      'SELECT m.name, COUNT(l.id) FROM members m JOIN loans l ON l.member_id = m.id GROUP BY m.id HAVING COUNT(l.id) > 1 ORDER BY 2 DESC, 1, m.id',
      'SELECT m.name, n FROM members m JOIN (SELECT member_id, COUNT(*) AS n FROM loans GROUP BY member_id) c ON c.member_id = m.id WHERE n >= 2 ORDER BY n DESC, m.name'
    ],
    wrong: [
      'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name HAVING COUNT(*) > 2 ORDER BY loans DESC, m.name',
      'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.name HAVING COUNT(*) >= 2 ORDER BY loans DESC, m.name',
      'SELECT m.name, COUNT(DISTINCT l.book_id) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name HAVING COUNT(DISTINCT l.book_id) >= 2 ORDER BY loans DESC, m.name',
      'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name HAVING COUNT(*) >= 2 ORDER BY loans DESC',
      'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name ORDER BY loans DESC, m.name',
      'SELECT m.name, COUNT(l.returned_on) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name HAVING COUNT(l.returned_on) >= 2 ORDER BY loans DESC, m.name'
    ]
  },
  'Authors never borrowed': {
    right: [
      'SELECT a.name FROM authors a LEFT JOIN books b ON b.author_id = a.id LEFT JOIN loans l ON l.book_id = b.id GROUP BY a.id HAVING COUNT(l.id) = 0',
      'SELECT name FROM authors WHERE id NOT IN (SELECT b.author_id FROM books b JOIN loans l ON l.book_id = b.id) ORDER BY name'
    ],
    wrong: [
      'SELECT a.name FROM authors a LEFT JOIN books b ON b.author_id = a.id LEFT JOIN loans l ON l.book_id = b.id WHERE l.id IS NULL',
      'SELECT DISTINCT a.name FROM authors a JOIN books b ON b.author_id = a.id WHERE b.id NOT IN (SELECT book_id FROM loans)',
      'SELECT a.name FROM authors a JOIN books b ON b.author_id = a.id LEFT JOIN loans l ON l.book_id = b.id GROUP BY a.id, a.name HAVING COUNT(l.id) = 0',
      'SELECT DISTINCT a.name FROM authors a WHERE NOT EXISTS (SELECT 1 FROM books b JOIN loans l ON l.book_id = b.id WHERE b.author_id = a.id)'
    ]
  },
  'Longest loan of each book': {
    right: [
      "SELECT b.title, MAX((strftime('%s', l.returned_on) - strftime('%s', l.loaned_on)) / 86400) AS days FROM books b JOIN loans l ON l.book_id = b.id WHERE l.returned_on IS NOT NULL GROUP BY b.id ORDER BY 2 DESC, 1",
      'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id GROUP BY b.id HAVING COUNT(l.returned_on) > 0 ORDER BY days DESC, b.title, b.id'
    ],
    wrong: [
      'SELECT b.title, MIN(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.id, b.title ORDER BY days DESC, b.title',
      'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.title ORDER BY days DESC, b.title',
      'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.id, b.title ORDER BY days DESC',
      'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id GROUP BY b.id, b.title ORDER BY days DESC, b.title',
      'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER) + 1) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.id, b.title ORDER BY days DESC, b.title',
      // days of the month instead of dates
      "SELECT b.title, MAX(CAST(strftime('%d', l.returned_on) AS INTEGER) - CAST(strftime('%d', l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.id, b.title ORDER BY days DESC, b.title"
    ]
  },
  'Students by year': {
    right: [
      'SELECT name, year FROM students ORDER BY 2 ASC, 1 ASC',
      'SELECT name, year FROM students ORDER BY year, name, id'
    ],
    wrong: [
      'SELECT name, year FROM students ORDER BY year',
      'SELECT name, year FROM students ORDER BY name, year',
      'SELECT name, year FROM students ORDER BY year DESC, name'
    ]
  },
  'Average grade per course': {
    right: [
      'SELECT code, (SELECT ROUND(AVG(grade), 1) FROM enrollments e WHERE e.course_id = c.id) FROM courses c ORDER BY code',
      'SELECT c.code, ROUND(SUM(e.grade) * 1.0 / COUNT(e.grade), 1) FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.code ORDER BY c.code'
    ],
    wrong: [
      'SELECT c.code, ROUND(AVG(e.grade), 1) AS average FROM courses c JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code',
      'SELECT c.code, ROUND(AVG(e.grade), 1) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id WHERE e.grade IS NOT NULL GROUP BY c.id, c.code ORDER BY c.code',
      'SELECT c.code, ROUND(AVG(COALESCE(e.grade, 0)), 1) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code',
      'SELECT c.code, COALESCE(ROUND(AVG(e.grade), 1), 0) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code',
      'SELECT c.code, ROUND(AVG(e.grade), 2) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code',
      'SELECT c.code, AVG(e.grade) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code'
    ]
  },
  'Courses and their teachers': {
    right: [
      'SELECT title, (SELECT name FROM teachers WHERE id = teacher_id) FROM courses',
      'SELECT c.title, t.name FROM teachers t RIGHT JOIN courses c ON c.teacher_id = t.id ORDER BY c.code'
    ],
    wrong: [
      'SELECT c.title, t.name FROM courses c JOIN teachers t ON t.id = c.teacher_id',
      'SELECT c.title, t.name FROM teachers t LEFT JOIN courses c ON c.teacher_id = t.id',
      'SELECT c.title, t.name FROM courses c FULL JOIN teachers t ON t.id = c.teacher_id',
      'SELECT DISTINCT c.title, t.name FROM courses c LEFT JOIN teachers t ON t.id = c.teacher_id'
    ]
  },
  'Top student of each course': {
    right: [
      'SELECT code, name, grade FROM (SELECT c.code, s.name, e.grade, RANK() OVER (PARTITION BY e.course_id ORDER BY e.grade DESC) AS r FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade IS NOT NULL) WHERE r = 1 ORDER BY code, name',
      'SELECT c.code, s.name, e.grade FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enrollments e2 WHERE e2.course_id = e.course_id AND e2.grade > e.grade) ORDER BY c.code, s.name'
    ],
    wrong: [
      'SELECT c.code, s.name, MAX(e.grade) FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id GROUP BY c.id HAVING MAX(e.grade) IS NOT NULL ORDER BY c.code, s.name',
      'SELECT code, name, grade FROM (SELECT c.code, s.name, e.grade, ROW_NUMBER() OVER (PARTITION BY e.course_id ORDER BY e.grade DESC) AS r FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade IS NOT NULL) WHERE r = 1 ORDER BY code, name',
      'SELECT c.code, s.name, e.grade FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE NOT EXISTS (SELECT 1 FROM enrollments e2 WHERE e2.course_id = e.course_id AND e2.grade > e.grade) ORDER BY c.code, s.name',
      'SELECT c.code, s.name, e.grade FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade = (SELECT MAX(grade) FROM enrollments) ORDER BY c.code, s.name',
      'SELECT c.code, s.name, e.grade FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade = (SELECT MAX(grade) FROM enrollments e2 WHERE e2.course_id = e.course_id) ORDER BY c.code, s.name DESC'
    ]
  },
  'Students with missing grades': {
    right: [
      "SELECT s.name, COUNT(*) - COUNT(e.grade), IFNULL(t.name, 'none') FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id GROUP BY s.id HAVING COUNT(*) > COUNT(e.grade) ORDER BY s.name, s.id",
      "SELECT s.name, (SELECT COUNT(*) FROM enrollments e WHERE e.student_id = s.id AND e.grade IS NULL) AS n, COALESCE((SELECT name FROM teachers WHERE id = s.advisor_id), 'none') FROM students s WHERE n > 0 ORDER BY s.name"
    ],
    wrong: [
      'SELECT s.name, COUNT(*) AS ungraded, t.name FROM students s JOIN enrollments e ON e.student_id = s.id JOIN teachers t ON t.id = s.advisor_id WHERE e.grade IS NULL GROUP BY s.id, s.name, t.name ORDER BY s.name',
      "SELECT s.name, COUNT(*) AS ungraded, COALESCE(t.name, 'none') AS advisor FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id WHERE e.grade IS NULL GROUP BY s.name ORDER BY s.name",
      "SELECT s.name, COUNT(*) AS ungraded, COALESCE(t.name, 'none') AS advisor FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id WHERE COALESCE(e.grade, 0) = 0 GROUP BY s.id, s.name, t.name ORDER BY s.name",
      "SELECT s.name, COUNT(DISTINCT e.student_id) AS ungraded, COALESCE(t.name, 'none') AS advisor FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id WHERE e.grade IS NULL GROUP BY s.id, s.name, t.name ORDER BY s.name",
      "SELECT s.name, COUNT(*) AS ungraded, COALESCE(t.name, 'None') AS advisor FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id WHERE e.grade IS NULL GROUP BY s.id, s.name, t.name ORDER BY s.name"
    ]
  }
}
