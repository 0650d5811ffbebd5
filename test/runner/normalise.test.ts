import t from 'tap'
import { normaliseQuery, splitStatements, tokenize } from '../../services/dbrunner/lib/normalise.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'

t.test('equivalent spellings normalise to the same text', async t => {
  const pairs: Array<[string, string]> = [
    ['select name from products', 'SELECT name FROM products'],
    ['SeLeCt name FrOm products WHERE price > 10', 'select name from products where price > 10'],
    ['SELECT name FROM products', 'SELECT   name\n\tFROM\r\n  products'],
    ['SELECT a, b FROM t', 'SELECT a ,b FROM t'],
    ['SELECT count(*) FROM t', 'SELECT count ( * ) FROM t'],
    ['SELECT name FROM products', 'SELECT name -- the name\nFROM products'],
    ['SELECT name FROM products', 'SELECT /* all */ name FROM /* the */ products /* unterminated'],
    ['SELECT 1 FROM t', 'SELECT/**/1/**/FROM/**/t'],
    ['SELECT name FROM products', 'SELECT name FROM products;'],
    ['SELECT name FROM products', 'SELECT name FROM products ; ;\n-- done\n'],
    ['SELECT 1; SELECT 2', ';SELECT 1;;; SELECT 2;'],
    ['SELECT p.name FROM products p', 'SELECT p . name FROM products p'],
    ['SELECT "Name" FROM t', 'select "Name" from t'],
    ["SELECT * FROM t WHERE name = 'it''s'", "select *   from t where name='it''s'"],
    ['SELECT x IN (1, 2) FROM t', 'select x in(1,2) from t'],
    ['SELECT a FROM t LEFT JOIN u USING (id)', 'select a from t left join u using(id)']
  ]
  for (const [a, b] of pairs) t.equal(normaliseQuery(a), normaliseQuery(b), `${JSON.stringify(a)} ~ ${JSON.stringify(b)}`)
})

t.test('spellings that mean different things stay different', async t => {
  const pairs: Array<[string, string]> = [
    ["SELECT * FROM t WHERE name = 'Laptop'", "SELECT * FROM t WHERE name = 'laptop'"],
    ['SELECT "Name" FROM t', 'SELECT "NAME" FROM t'],
    ['SELECT `Name` FROM t', 'SELECT `NAME` FROM t'],
    ['SELECT [Name] FROM t', 'SELECT [NAME] FROM t'],
    ["SELECT x'ab'", "SELECT x'AB'"],
    ["SELECT '-- not a comment' FROM t", 'SELECT FROM t'],
    ["SELECT 'a -- b', 1", "SELECT 'a', 1"],
    ["SELECT '/* x */'", "SELECT ''"],
    ["SELECT 'a  b'", "SELECT 'a b'"],
    ["SELECT 'it''s'", "SELECT 'it' 's'"],
    ['SELECT 1', 'SELECT 2'],
    ['SELECT 1.0', 'SELECT 1'],
    ['SELECT 10', 'SELECT 1 0'],
    ['SELECT x FROM t', "SELECT x'' FROM t"],
    ['SELECT a - -1', 'SELECT a --1'],
    ['SELECT 1 . 5', 'SELECT 1.5'],
    ['SELECT "a""b"', 'SELECT "a" "b"'],
    ['SELECT name AS Total FROM t', 'SELECT name AS total FROM t']
  ]
  for (const [a, b] of pairs) t.not(normaliseQuery(a), normaliseQuery(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
})

t.test('exact output', async t => {
  t.equal(normaliseQuery("select p.Name, count(*) as n\nfrom Products p -- all\nwhere p.price>=10 and p.label = 'Don''t  -- stop';\n"),
    "SELECT p.Name, count(*) AS n FROM Products p WHERE p.price >= 10 AND p.label = 'Don''t  -- stop'")
  t.equal(normaliseQuery('select t.* from "My Table" t where [x y] = `z`'), 'SELECT t.* FROM "My Table" t WHERE [x y] = `z`')
  t.equal(normaliseQuery('select ?1, :name, @v, $w, x\'0A\', 0x1F, 1e-3, .5'), "SELECT ?1, :name, @v, $w, x'0A', 0x1F, 1e-3, .5")
  t.equal(normaliseQuery(''), '')
  t.equal(normaliseQuery(' -- only a comment\n ;; '), '')
  t.equal(normaliseQuery("SELECT 'unterminated"), "SELECT 'unterminated")
})

t.test('semicolons inside a trigger body are kept', async t => {
  const sql = `create trigger tr after insert on t begin
    update u set n = n + 1; update u set m = case when 1 then 2 end;
  end;
  select 1;`
  t.equal(normaliseQuery(sql),
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; UPDATE u SET m = CASE WHEN 1 THEN 2 END; END; SELECT 1')
  t.equal(splitStatements(tokenize(sql)).length, 2)
})

t.test('tokenizer', async t => {
  const kinds = (sql: string) => tokenize(sql).map(token => `${token.type}:${token.text}`)
  t.same(kinds("SELECT x'AB', 'a''b', \"c\"\"d\", [e f], `g`, 12.5e3, ?2, :p, a.b, -- c\n x||y ->> 'k'"), [
    'keyword:SELECT', "blob:x'AB'", 'punct:,', "string:'a''b'", 'punct:,', 'quoted:"c""d"', 'punct:,', 'quoted:[e f]',
    'punct:,', 'quoted:`g`', 'punct:,', 'number:12.5e3', 'punct:,', 'parameter:?2', 'punct:,', 'parameter::p', 'punct:,',
    'identifier:a', 'punct:.', 'identifier:b', 'punct:,', 'identifier:x', 'operator:||', 'identifier:y', 'operator:->>', "string:'k'"
  ])
  t.same(kinds('/* a */ b -- c').length, 1)
  const withTrivia = tokenize('a /* b */ c', { keepTrivia: true })
  t.same(withTrivia.map(token => token.type), ['identifier', 'space', 'comment', 'space', 'identifier'])
  t.equal(withTrivia.map(token => token.text).join(''), 'a /* b */ c', 'tokens cover the whole text')
  t.same(tokenize('héllo wörld').map(token => token.text), ['héllo', 'wörld'])
})

t.test('normalised queries give the same rows as the originals, and normalising is idempotent', async t => {
  await loadEngine()
  const image = buildImage(`CREATE TABLE "My Table" (id INTEGER PRIMARY KEY, Name TEXT, price REAL);
    INSERT INTO "My Table" VALUES (1, 'it''s -- here', 9.5), (2, '/* x */', 20), (3, NULL, 1e3);`)
  const queries = [
    `select Name, price*2 as p2 -- doubled
     from "My Table" t where t.price>=9.5 order by 2 desc;`,
    "SELECT [Name] || '!' FROM `My Table` WHERE Name LIKE '%--%' OR Name = '/* x */'",
    'select count(*), sum(price), x\'0A\' from "My Table" group by Name is null having count(*)>0',
    'with c(x) as (select 1 union all select x+1 from c where x<3) select x, -x, - -x, x - -1 from c',
    "update \"My Table\" set Name = upper(Name) where id in(1,2) returning id, Name;",
    'create temp table t2 as select * from "My Table"; select t2.* from t2 natural join "My Table" where t2.id=.5e1-4'
  ]
  for (const sql of queries) {
    const normalised = normaliseQuery(sql)
    const original = runQuery(image, sql)
    const again = runQuery(image, normalised)
    t.ok(original.rows.length > 0, 'the query returns rows')
    t.same(again.rows, original.rows, normalised)
    // Headers of unaliased expressions repeat the query's own text, so only their number must match.
    t.equal(again.header.length, original.header.length)
    t.equal(normaliseQuery(normalised), normalised, 'idempotent')
  }
})
