screen --data data/samples --no-audit --input tests/golden/cli/ids.csv
