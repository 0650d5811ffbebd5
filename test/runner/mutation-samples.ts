// Sample answers and the mutants each operator makes of them, in order.
import type { MutationOperator } from '../../services/dbrunner/lib/mutation.ts'

export const table: Array<[MutationOperator, string, string[]]> = [
  ['join-type', 'SELECT a.x FROM a JOIN b ON b.id = a.b_id', [
    'SELECT a.x FROM a LEFT JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a RIGHT JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a FULL JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a CROSS JOIN b'
  ]],
  ['join-type', 'select a.x from a left outer join b on b.id = a.b_id', [
    'select a.x from a join b on b.id = a.b_id',
    'select a.x from a right join b on b.id = a.b_id',
    'select a.x from a full join b on b.id = a.b_id',
    'select a.x from a cross join b'
  ]],
  // with an OR at the top of WHERE, no padded row is surely dropped
  ['join-type', "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND c.id > 0 OR 1", [
    "SELECT o.id FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND c.id > 0 OR 1",
    "SELECT o.id FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND c.id > 0 OR 1",
    "SELECT o.id FROM orders o FULL JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND c.id > 0 OR 1",
    "SELECT o.id FROM orders o CROSS JOIN customers c WHERE o.status = 'x' AND c.id > 0 OR 1"
  ]],
  // WHERE drops the rows a RIGHT JOIN pads with NULL orders: it is the answer, and FULL JOIN the LEFT JOIN mutant
  // (coalesce() keeps a NULL customer, so LEFT JOIN stays)
  ['join-type', "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND coalesce(c.id, 0) >= 0", [
    "SELECT o.id FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x' AND coalesce(c.id, 0) >= 0",
    "SELECT o.id FROM orders o CROSS JOIN customers c WHERE o.status = 'x' AND coalesce(c.id, 0) >= 0"
  ]],
  // the ON of a later inner join drops rows padded with NULL b: that LEFT JOIN is an inner one already
  ['join-type', 'SELECT 1 FROM a LEFT JOIN b ON b.id = a.b_id JOIN c ON c.id = b.c_id WHERE a.x IS NULL', [
    'SELECT 1 FROM a RIGHT JOIN b ON b.id = a.b_id JOIN c ON c.id = b.c_id WHERE a.x IS NULL',
    'SELECT 1 FROM a CROSS JOIN b JOIN c ON c.id = b.c_id WHERE a.x IS NULL',
    'SELECT 1 FROM a LEFT JOIN b ON b.id = a.b_id LEFT JOIN c ON c.id = b.c_id WHERE a.x IS NULL',
    'SELECT 1 FROM a LEFT JOIN b ON b.id = a.b_id RIGHT JOIN c ON c.id = b.c_id WHERE a.x IS NULL',
    'SELECT 1 FROM a LEFT JOIN b ON b.id = a.b_id FULL JOIN c ON c.id = b.c_id WHERE a.x IS NULL',
    'SELECT 1 FROM a LEFT JOIN b ON b.id = a.b_id CROSS JOIN c WHERE a.x IS NULL'
  ]],
  ['join-type', 'SELECT * FROM a CROSS JOIN b', ['SELECT * FROM a LEFT JOIN b', 'SELECT * FROM a RIGHT JOIN b', 'SELECT * FROM a FULL JOIN b']],
  ['join-type', 'SELECT * FROM a NATURAL JOIN b', [
    'SELECT * FROM a NATURAL LEFT JOIN b', 'SELECT * FROM a NATURAL RIGHT JOIN b', 'SELECT * FROM a NATURAL FULL JOIN b', 'SELECT * FROM a CROSS JOIN b'
  ]],
  ['join-type', 'SELECT * FROM a JOIN b USING (id), c', [
    'SELECT * FROM a LEFT JOIN b USING (id), c', 'SELECT * FROM a RIGHT JOIN b USING (id), c', 'SELECT * FROM a FULL JOIN b USING (id), c', 'SELECT * FROM a CROSS JOIN b, c'
  ]],
  ['join-type', 'SELECT * FROM a, b WHERE a.id = b.id', []],
  ['comparison', 'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c = 3 AND d != 4', [
    'SELECT * FROM t WHERE a <= 1 AND b >= 2 AND c = 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b > 2 AND c = 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c <> 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c = 3 AND d = 4'
  ]],
  ['comparison', 'SELECT a<=b, a>b, a==b, a<>b FROM t', [
    'SELECT a<b, a>b, a==b, a<>b FROM t', 'SELECT a<=b, a>=b, a==b, a<>b FROM t', 'SELECT a<=b, a>b, a<>b, a<>b FROM t', 'SELECT a<=b, a>b, a==b, a=b FROM t'
  ]],
  ['comparison', 'SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c > 5)', ['SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c >= 5)']],
  ['and-or', 'SELECT * FROM t WHERE a = 1 AND b = 2 or c BETWEEN 1 AND 3', [
    'SELECT * FROM t WHERE a = 1 OR b = 2 or c BETWEEN 1 AND 3',
    'SELECT * FROM t WHERE a = 1 AND b = 2 and c BETWEEN 1 AND 3'
  ]],
  ['where-conjunct', 'SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3) AND d BETWEEN 1 AND 5 ORDER BY a', [
    'SELECT * FROM t WHERE (b = 2 OR c = 3) AND d BETWEEN 1 AND 5 ORDER BY a',
    'SELECT * FROM t WHERE a = 1 AND d BETWEEN 1 AND 5 ORDER BY a',
    'SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3) ORDER BY a'
  ]],
  ['where-conjunct', 'SELECT * FROM t WHERE a = 1 AND b = 2 OR c = 3', ['SELECT * FROM t']],
  ['where-conjunct', 'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id AND u.ok)', [
    'SELECT * FROM t',
    'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.ok)',
    'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)'
  ]],
  ['having-conjunct', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1 AND SUM(x) < 10', [
    'SELECT g FROM t GROUP BY g HAVING SUM(x) < 10', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1'
  ]],
  ['having-conjunct', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1 ORDER BY g', ['SELECT g FROM t GROUP BY g ORDER BY g']],
  ['distinct', 'SELECT a FROM t', ['SELECT DISTINCT a FROM t']],
  ['distinct', 'select distinct a from t', ['select a from t']],
  ['distinct', 'SELECT ALL a FROM t', ['SELECT DISTINCT a FROM t']],
  // one row, or one per group with the group selected, or inside EXISTS / IN / UNION: DISTINCT changes nothing
  ['distinct', 'SELECT COUNT(*) FROM t', []],
  ['distinct', 'SELECT g, SUM(x) FROM t GROUP BY g', []],
  ['distinct', 'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u) AND b IN (SELECT DISTINCT b FROM v)', [
    'SELECT DISTINCT a FROM t WHERE EXISTS (SELECT 1 FROM u) AND b IN (SELECT DISTINCT b FROM v)'
  ]],
  ['distinct', 'SELECT a FROM t UNION SELECT a FROM u', []],
  ['distinct', 'SELECT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT x FROM u))', [
    'SELECT DISTINCT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT x FROM u))',
    'SELECT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT DISTINCT x FROM u))'
  ]],
  ['count', 'SELECT COUNT(*) FROM t WHERE t.x > 1', ['SELECT COUNT(t.x) FROM t WHERE t.x > 1', 'SELECT COUNT(DISTINCT t.x) FROM t WHERE t.x > 1']],
  ['count', 'SELECT g, count(*) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g', [
    'SELECT g, count(u.t_id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(distinct u.t_id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(t.id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(distinct t.id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g'
  ]],
  ['count', 'SELECT COUNT(x) FROM t', ['SELECT COUNT(*) FROM t', 'SELECT COUNT(DISTINCT x) FROM t']],
  ['count', 'SELECT COUNT(DISTINCT x) FROM t', ['SELECT COUNT(x) FROM t', 'SELECT COUNT(*) FROM t']],
  ['count', 'SELECT COUNT(*) FROM t', []],
  ['sum-avg', 'SELECT SUM(x), avg(y) FROM t', ['SELECT AVG(x), avg(y) FROM t', 'SELECT SUM(x), sum(y) FROM t']],
  ['min-max', 'SELECT MIN(x), Max(y) FROM t', ['SELECT MAX(x), Max(y) FROM t', 'SELECT MIN(x), Min(y) FROM t']],
  ['group-by', 'SELECT a, b, COUNT(*) FROM t GROUP BY a, b HAVING COUNT(*) > 1', [
    'SELECT a, b, COUNT(*) FROM t GROUP BY b HAVING COUNT(*) > 1', 'SELECT a, b, COUNT(*) FROM t GROUP BY a HAVING COUNT(*) > 1'
  ]],
  ['group-by', 'SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY a', ['SELECT a, COUNT(*) FROM t ORDER BY a']],
  ['order-direction', 'SELECT * FROM t ORDER BY a, b DESC, c ASC, d NULLS LAST', [
    'SELECT * FROM t ORDER BY a DESC, b DESC, c ASC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b, c ASC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b DESC, c DESC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b DESC, c ASC, d DESC NULLS LAST'
  ]],
  // the order of a subquery only counts where LIMIT cuts it, or in a window
  ['order-direction', 'SELECT * FROM (SELECT a FROM t ORDER BY a) JOIN (SELECT b FROM u ORDER BY b LIMIT 2)', [
    'SELECT * FROM (SELECT a FROM t ORDER BY a) JOIN (SELECT b FROM u ORDER BY b DESC LIMIT 2)'
  ]],
  ['order-direction', 'SELECT rank() OVER (PARTITION BY g ORDER BY x) FROM t', ['SELECT rank() OVER (PARTITION BY g ORDER BY x DESC) FROM t']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 3', ['SELECT a FROM t ORDER BY a LIMIT 4', 'SELECT a FROM t ORDER BY a LIMIT 2']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 0', ['SELECT a FROM t ORDER BY a LIMIT 1']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 5 OFFSET 2', ['SELECT a FROM t ORDER BY a LIMIT 6 OFFSET 2', 'SELECT a FROM t ORDER BY a LIMIT 4 OFFSET 2']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 2, 5', ['SELECT a FROM t ORDER BY a LIMIT 2, 6', 'SELECT a FROM t ORDER BY a LIMIT 2, 4']],
  ['limit', 'SELECT a FROM t LIMIT (SELECT 2)', []],
  ['null-test', 'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c ISNULL OR d NOTNULL', [
    'SELECT * FROM t WHERE a IS NOT NULL AND b IS NOT NULL OR c ISNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NULL OR c ISNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c NOTNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c ISNULL OR d ISNULL'
  ]],
  ['in', 'SELECT * FROM t WHERE a IN (1, 2) AND b NOT IN (SELECT b FROM u)', [
    'SELECT * FROM t WHERE a NOT IN (1, 2) AND b NOT IN (SELECT b FROM u)',
    'SELECT * FROM t WHERE a IN (1, 2) AND b IN (SELECT b FROM u)'
  ]],
  ['union', 'SELECT a FROM t UNION SELECT a FROM u', ['SELECT a FROM t UNION ALL SELECT a FROM u']],
  ['union', 'SELECT a FROM t UNION ALL SELECT a FROM u', ['SELECT a FROM t UNION SELECT a FROM u']],
  // INTERSECT and EXCEPT are left alone; a later UNION removes duplicates again
  ['union', 'SELECT a FROM t INTERSECT SELECT a FROM u EXCEPT SELECT a FROM v', []],
  ['union', 'SELECT a FROM t UNION SELECT a FROM u UNION SELECT a FROM v', ['SELECT a FROM t UNION SELECT a FROM u UNION ALL SELECT a FROM v']],
  ['constant', 'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5', [
    'SELECT a + 1 FROM t WHERE a > 11 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 9 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 3.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 1.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -2 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -4 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 8 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 6 LIMIT 5'
  ]],
  ['constant', 'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 1e3 < x', [
    'SELECT * FROM t JOIN u ON u.n >= 1 HAVING 1e3 < x', 'SELECT * FROM t JOIN u ON u.n >= -1 HAVING 1e3 < x',
    'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 1001.0 < x', 'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 999.0 < x'
  ]]
]
