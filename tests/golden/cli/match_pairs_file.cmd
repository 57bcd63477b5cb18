match --input tests/golden/cli/pairs.csv
