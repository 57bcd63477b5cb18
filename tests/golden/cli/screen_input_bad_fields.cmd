screen --sample --input tests/golden/cli/bad_fields.csv
