screen --sample --list bogus_id 'Kim Jong Un' 2>&1
