screen --data tests/data/ofac-no-alt --allow-incomplete --json --top 1 'Kim Jong Un' 2>&1
