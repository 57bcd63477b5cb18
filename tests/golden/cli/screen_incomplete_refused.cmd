screen --data tests/data/ofac-no-alt 'Kim Jong Un' 2>&1
