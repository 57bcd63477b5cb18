-- xcheck extension: answers, arguments, errors, NULLs, the lists loaded and a list change seen
-- without a restart. The server's xcheck.data names the bundled sample and a watch list
-- (tests/golden/run-pg.sh); the CLI's answers for the same names are in XCHECK_CLI_ANSWERS.
CREATE EXTENSION xcheck;
\getenv cli_answers XCHECK_CLI_ANSWERS
\getenv watch_file XCHECK_WATCH_FILE
\set SHOW_CONTEXT never

SELECT id, entities, names, published, incomplete FROM xcheck_lists() ORDER BY id;

-- The SQL answers equal the CLI's (xcheck screen --json) for the same names: same matches in
-- the same order, same lists, entities, scores, bands and explanations.
CREATE TABLE cli (answer jsonb);
COPY cli FROM :'cli_answers' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02');
CREATE TABLE cli_matches AS
    SELECT c.answer->'query'->>'name' AS query, m.rank, m.match->>'list' AS list,
           m.match->>'entity_id' AS entity_id, m.match->>'name' AS name,
           m.match->>'matched_name' AS matched_name, (m.match->>'score')::real AS score,
           m.match->>'band' AS band, m.match->'explanation' AS explanation
    FROM cli c CROSS JOIN LATERAL jsonb_array_elements(c.answer->'matches')
         WITH ORDINALITY AS m(match, rank);
CREATE TABLE sql_matches AS
    SELECT q.query, s.rank, s.list, s.entity_id, s.name, s.matched_name, s.score, s.band,
           s.explanation
    FROM (SELECT answer->'query'->>'name' AS query FROM cli) q
         CROSS JOIN LATERAL xcheck_screen(q.query)
         WITH ORDINALITY AS s(list, entity_id, name, matched_name, score, band, explanation, rank);
SELECT count(*) AS names, (SELECT count(*) FROM cli_matches) AS cli_matches,
       (SELECT count(*) FROM sql_matches) AS sql_matches FROM cli;
SELECT 'cli only' AS side, * FROM (TABLE cli_matches EXCEPT TABLE sql_matches) a
UNION ALL
SELECT 'sql only', * FROM (TABLE sql_matches EXCEPT TABLE cli_matches) b;
-- xcheck_screen_json is the CLI's JSON answer: its matches are the CLI's, entities included.
SELECT count(*) AS differing_json_answers FROM cli
WHERE xcheck_screen_json(answer->'query'->>'name')->'matches' IS DISTINCT FROM answer->'matches';
SELECT query, list, entity_id, score, band FROM sql_matches WHERE rank = 1 ORDER BY query;

-- Arguments: kind, country and dob qualify; threshold and top bound the rows.
SELECT list, entity_id, name, score, band
FROM xcheck_screen('Kim Jong Un', kind => 'person', country => 'KP', dob => '1984-01-08');
SELECT list, entity_id, score, band, explanation->>'qualifiers' AS qualifiers
FROM xcheck_screen('Kim Jong Un', kind => 'person', dob => '1950');
SELECT count(*) FROM xcheck_screen('Kim Jong Un', top => 1);
SELECT bool_and(score >= 0.95) AS all_above FROM xcheck_screen('Kim Jong Un', threshold => 0.95);
SELECT explanation->'pairs'->0 AS first_pair FROM xcheck_screen('Vladimir Putin') LIMIT 1;

-- NULLs: a NULL name screens nothing; NULL qualifiers are not given.
SELECT count(*) FROM xcheck_screen(NULL);
SELECT xcheck_screen_json(NULL) IS NULL AS json_null;
SELECT count(*) > 0 AS found FROM xcheck_screen('Li Fangwei', NULL, NULL, NULL, NULL, NULL);

-- Errors name the argument and carry a SQLSTATE.
CREATE FUNCTION sqlstate_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('Kim Jong Un', kind => 'planet')$$);
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('Kim Jong Un', country => 'XX')$$);
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('Kim Jong Un', dob => '1984-13-45')$$);
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('Kim Jong Un', threshold => 1.5)$$);
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('Kim Jong Un', top => 0)$$);
SELECT sqlstate_of($$SELECT * FROM xcheck_screen('')$$);
SELECT sqlstate_of($$SELECT xcheck_screen_json('Kim Jong Un', country => 'Korea')$$);
SELECT sqlstate_of($$SELECT xcheck_decide('{"date":"2023-02-30","exporter":"JP","destination":"KR","items":[]}')$$);
SELECT sqlstate_of($$SELECT xcheck_decide('[1,2]')$$);
SELECT * FROM xcheck_screen('Kim Jong Un', kind => 'planet');

-- Licence determination.
SELECT d->>'jurisdiction' AS jurisdiction, d->>'item' AS item, d->>'outcome' AS outcome,
       d->'licences' AS licences
FROM jsonb_array_elements(xcheck_decide(
    '{"date":"2023-07-21","exporter":"JP","destination":"KR",
      "items":[{"jurisdiction":"JP","code":"5(17)","description":"fluorinated polyimide"}],
      "end_use":"civil","knowledge":{"wmd":false},"informed":false,
      "licences_held":["general_bulk","special_general_bulk"]}')->'decisions') d;
SELECT xcheck_decide(NULL) IS NULL AS decide_null;

-- A changed list file is seen by the next statement, without a restart.
SELECT list, entity_id, name FROM xcheck_screen('Quentin Oldfield');
COPY (SELECT 'acme_watch' AS list_id, 'W3' AS entity_id, 'Wilhelmina Newcombe' AS name,
             '' AS aliases, 'person' AS kind, 'NL' AS country, '' AS date_of_birth,
             '' AS identifiers)
    TO :'watch_file' WITH (FORMAT csv, HEADER);
SELECT list, entity_id, name FROM xcheck_screen('Wilhelmina Newcombe');
SELECT count(*) AS oldfield_matches FROM xcheck_screen('Quentin Oldfield');
SELECT id, entities, names FROM xcheck_lists() WHERE id = 'acme_watch';
-- A changed setting opens the lists it names.
SET xcheck.data = :'watch_file';
SELECT id, entities FROM xcheck_lists();
SELECT count(*) AS kim_on_watch_list FROM xcheck_screen('Kim Jong Un');
SET xcheck.data = '/nonexistent/lists';
SELECT sqlstate_of($$SELECT * FROM xcheck_lists()$$);
SET xcheck.data = '';
SELECT sqlstate_of($$SELECT * FROM xcheck_lists()$$);
RESET xcheck.data;
SELECT count(*) > 0 AS back_on_sample FROM xcheck_screen('Kim Jong Un');
