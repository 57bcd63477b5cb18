screen --sample --list bogus_id --input tests/golden/cli/parties.csv 2>&1
