// The starter catalogue: three schemas and the questions asked on them.
// Each schema's SQL lives in seeds/schemas/<id>.sql. Hidden datasets (the
// same tables with other rows, so that copying the visible result cannot
// pass) live in seeds/datasets/<name>.sql: a question gets the ones its
// `datasets` lists, or else every dataset of its schema.

export interface SeedSchema {
  id: string
  description: string
  picture: string | null
  /** hidden datasets of this schema, by file name in seeds/datasets/ (without .sql) */
  datasets: string[]
}

export interface SeedQuestion {
  schema_id: string
  type: string
  difficulty: 'easy' | 'medium' | 'hard'
  title: string
  description: string
  answer: string
  solution_video: string | null
  /** hidden datasets for this question; when absent, all of its schema's */
  datasets?: string[]
}

export const seedSchemas: SeedSchema[] = [
  { id: 'shop', picture: null, datasets: ['shop-1', 'shop-2'], description: 'An online shop: customers, products, orders and the items in each order.' },
  { id: 'library', picture: null, datasets: ['library-1', 'library-2'], description: 'A lending library: authors, their books, members and the loans of books to members.' },
  { id: 'school', picture: null, datasets: ['school-1', 'school-2'], description: 'A school term: teachers, the courses they run, students, and enrolments with grades.' }
]

/** The hidden datasets a seed question gets, by file name. */
export function datasetsOf (question: SeedQuestion): string[] {
  return question.datasets ?? seedSchemas.find(schema => schema.id === question.schema_id)?.datasets ?? []
}

export const seedQuestions: SeedQuestion[] = [
  {
    schema_id: 'shop',
    type: 'filtering',
    difficulty: 'easy',
    title: 'Electronics under 100',
    description: 'List the name and price of every product in the `electronics` category that costs less than 100.',
    answer: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100",
    solution_video: 'https://videos.example.org/sql/electronics-under-100'
  },
  {
    schema_id: 'shop',
    type: 'ordering',
    difficulty: 'easy',
    title: 'Three most expensive products',
    description: 'Show the name and price of the three most expensive products, most expensive first.',
    answer: 'SELECT name, price FROM products ORDER BY price DESC LIMIT 3',
    solution_video: null
  },
  {
    schema_id: 'shop',
    type: 'joins',
    difficulty: 'medium',
    title: 'Who ordered what',
    description: 'For every delivered order, list the order id, the customer name and the product name, one row per order item, ordered by order id then product name.',
    answer: "SELECT o.id, c.name, p.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.status = 'delivered' ORDER BY o.id, p.name",
    solution_video: 'https://videos.example.org/sql/who-ordered-what'
  },
  {
    schema_id: 'shop',
    type: 'aggregation',
    difficulty: 'medium',
    title: 'Revenue per category',
    description: 'Compute the total revenue (price times quantity) of each product category over all orders that were not cancelled. Show the category and the revenue rounded to 2 decimals, highest revenue first.',
    answer: "SELECT p.category, ROUND(SUM(p.price * i.quantity), 2) AS revenue FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC",
    solution_video: null
  },
  {
    schema_id: 'shop',
    type: 'null handling',
    difficulty: 'easy',
    title: 'Customers without an email',
    description: 'List the names of the customers who have no email address.',
    answer: 'SELECT name FROM customers WHERE email IS NULL',
    solution_video: null
  },
  {
    schema_id: 'shop',
    type: 'subqueries',
    difficulty: 'hard',
    title: 'Customers above the average order value',
    description: 'An order\'s value is the sum of price times quantity of its items. List the names of the customers who placed at least one order worth more than the average order value, without duplicates, in alphabetical order.',
    answer: 'WITH order_values AS (SELECT i.order_id, SUM(p.price * i.quantity) AS value FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY i.order_id) SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_values v ON v.order_id = o.id WHERE v.value > (SELECT AVG(value) FROM order_values) ORDER BY c.name',
    solution_video: 'https://videos.example.org/sql/above-average-orders'
  },
  {
    schema_id: 'library',
    type: 'filtering',
    difficulty: 'easy',
    title: 'Books published before 1970',
    description: 'List the titles and publication years of the books published before 1970.',
    answer: 'SELECT title, published FROM books WHERE published < 1970',
    solution_video: null
  },
  {
    schema_id: 'library',
    type: 'null handling',
    difficulty: 'easy',
    title: 'Books still out',
    description: 'Which books are on loan right now (the loan has no return date)? Show the book title and the member name.',
    answer: 'SELECT b.title, m.name FROM loans l JOIN books b ON b.id = l.book_id JOIN members m ON m.id = l.member_id WHERE l.returned_on IS NULL',
    solution_video: 'https://videos.example.org/sql/books-still-out'
  },
  {
    schema_id: 'library',
    type: 'aggregation',
    difficulty: 'medium',
    title: 'Loans per member',
    description: 'For each member who borrowed at least two books, show the member name and the number of loans, most loans first, then by name.',
    answer: 'SELECT m.name, COUNT(*) AS loans FROM loans l JOIN members m ON m.id = l.member_id GROUP BY m.id, m.name HAVING COUNT(*) >= 2 ORDER BY loans DESC, m.name',
    solution_video: null
  },
  {
    schema_id: 'library',
    type: 'joins',
    difficulty: 'medium',
    title: 'Authors never borrowed',
    description: 'List the names of the authors none of whose books has ever been loaned.',
    answer: 'SELECT a.name FROM authors a WHERE NOT EXISTS (SELECT 1 FROM books b JOIN loans l ON l.book_id = b.id WHERE b.author_id = a.id)',
    solution_video: null
  },
  {
    schema_id: 'library',
    type: 'subqueries',
    difficulty: 'hard',
    title: 'Longest loan of each book',
    description: 'For every book that was returned at least once, show its title and the longest number of days one of its returned loans lasted, longest first, then by title.',
    answer: 'SELECT b.title, MAX(CAST(julianday(l.returned_on) - julianday(l.loaned_on) AS INTEGER)) AS days FROM loans l JOIN books b ON b.id = l.book_id WHERE l.returned_on IS NOT NULL GROUP BY b.id, b.title ORDER BY days DESC, b.title',
    solution_video: 'https://videos.example.org/sql/longest-loan'
  },
  {
    schema_id: 'school',
    type: 'ordering',
    difficulty: 'easy',
    title: 'Students by year',
    description: 'List every student\'s name and year, ordered by year and then by name.',
    answer: 'SELECT name, year FROM students ORDER BY year, name',
    solution_video: null
  },
  {
    schema_id: 'school',
    type: 'aggregation',
    difficulty: 'medium',
    title: 'Average grade per course',
    description: 'For each course, show its code and the average of the grades given so far (ungraded enrolments do not count), rounded to 1 decimal, ordered by code. Courses with no grade show NULL.',
    answer: 'SELECT c.code, ROUND(AVG(e.grade), 1) AS average FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id GROUP BY c.id, c.code ORDER BY c.code',
    solution_video: null
  },
  {
    schema_id: 'school',
    type: 'joins',
    difficulty: 'medium',
    title: 'Courses and their teachers',
    description: 'List every course title with the name of its teacher; a course without a teacher still appears, with NULL as the teacher.',
    answer: 'SELECT c.title, t.name FROM courses c LEFT JOIN teachers t ON t.id = c.teacher_id',
    solution_video: 'https://videos.example.org/sql/courses-and-teachers'
  },
  {
    schema_id: 'school',
    type: 'subqueries',
    difficulty: 'hard',
    title: 'Top student of each course',
    description: 'For every course with at least one grade, show the course code, the name of the student with the highest grade in it and that grade (list ties as separate rows), ordered by course code then student name.',
    answer: 'SELECT c.code, s.name, e.grade FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN students s ON s.id = e.student_id WHERE e.grade = (SELECT MAX(grade) FROM enrollments e2 WHERE e2.course_id = e.course_id) ORDER BY c.code, s.name',
    solution_video: null
  },
  {
    schema_id: 'school',
    type: 'null handling',
    difficulty: 'hard',
    title: 'Students with missing grades',
    description: 'For every student with at least one ungraded enrolment, show the name, the number of ungraded enrolments and the name of their advisor, or \'none\' when they have no advisor. Order by name.',
    answer: "SELECT s.name, COUNT(*) AS ungraded, COALESCE(t.name, 'none') AS advisor FROM students s JOIN enrollments e ON e.student_id = s.id LEFT JOIN teachers t ON t.id = s.advisor_id WHERE e.grade IS NULL GROUP BY s.id, s.name, t.name ORDER BY s.name",
    solution_video: null
  }
]
