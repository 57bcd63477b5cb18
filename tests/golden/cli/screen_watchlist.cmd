screen --data tests/golden/cli/watchlist_acme-2026-01-15.csv --dob 1970 'Ivan Sidorov'
