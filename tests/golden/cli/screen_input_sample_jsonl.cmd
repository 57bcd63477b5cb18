screen --sample --list us_ofac_sdn --input tests/golden/cli/parties.csv
