-- xcheck_screen is PARALLEL SAFE: a join over a customer table runs in parallel workers, each
-- with its own engine, and gives the same answers as a serial plan. (Runs after xcheck.sql,
-- which creates the extension. Memoize is off so that every row is screened, not once per
-- distinct name.)
CREATE TABLE customers AS
    SELECT g AS id,
           (ARRAY['Kim Jong Un', 'Vladimir Putin', 'Jane Doe Smith', 'Li Fangwei',
                  'Korea Mining Development Trading Corp', 'Aerolineas Nowhere'])[1 + g % 6] AS name
    FROM generate_series(1, 3000) g;
ANALYZE customers;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_memoize = off;
EXPLAIN (COSTS OFF)
SELECT c.id, m.list, m.entity_id, m.score
FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m;
-- Workers were launched and the counts equal a serial plan's.
CREATE FUNCTION workers_launched(sql text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || sql INTO plan;
    RETURN (SELECT sum(value::int) FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') value);
END $$;
SELECT workers_launched($$SELECT count(*) FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m$$) > 0
       AS parallel_workers_used;
CREATE TABLE parallel_answers AS
    SELECT c.id, m.list, m.entity_id, m.score
    FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_answers AS
    SELECT c.id, m.list, m.entity_id, m.score
    FROM customers c CROSS JOIN LATERAL xcheck_screen(c.name) m;
SELECT (SELECT count(*) FROM parallel_answers) AS parallel_rows,
       (SELECT count(*) FROM serial_answers) AS serial_rows,
       (SELECT count(*) FROM (TABLE parallel_answers EXCEPT TABLE serial_answers) d) AS differing;
