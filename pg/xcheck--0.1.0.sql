-- xcheck--0.1.0.sql: the SQL functions of the xcheck extension (see docs/sql.md).
\echo Use "CREATE EXTENSION xcheck" to load this file. \quit

-- Screens one party against the lists named by the setting xcheck.data. One row per match,
-- best first; no row for a NULL name. Bad kind, country, dob, threshold or top are errors
-- naming the argument. The name argument is called "query" because the result has a column
-- "name" (the entity's primary name) and SQL allows no argument and column of the same name.
CREATE FUNCTION xcheck_screen(query text, kind text DEFAULT NULL, country text DEFAULT NULL,
                              dob text DEFAULT NULL, threshold real DEFAULT NULL,
                              top int DEFAULT 10)
RETURNS TABLE (list text, entity_id text, name text, matched_name text, score real, band text,
               explanation jsonb)
AS 'MODULE_PATHNAME', 'xcheck_screen'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT ROWS 5;

-- The same screening as the CLI's JSON answer (xcheck screen --json): query, matches with their
-- entities and explanations, data_version, warnings. NULL for a NULL name.
CREATE FUNCTION xcheck_screen_json(query text, kind text DEFAULT NULL, country text DEFAULT NULL,
                                   dob text DEFAULT NULL, threshold real DEFAULT NULL,
                                   top int DEFAULT 10)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'xcheck_screen_json'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT;

-- Decides a shipment (the JSON xcheck decide takes); returns the decisions.
CREATE FUNCTION xcheck_decide(shipment jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'xcheck_decide'
LANGUAGE C STABLE PARALLEL SAFE STRICT;

-- The lists the engine of this backend loaded (as xcheck lists shows them).
CREATE FUNCTION xcheck_lists()
RETURNS TABLE (id text, version text, published date, entities bigint, names bigint,
               sha256 text, incomplete boolean)
AS 'MODULE_PATHNAME', 'xcheck_lists'
LANGUAGE C STABLE PARALLEL SAFE;
