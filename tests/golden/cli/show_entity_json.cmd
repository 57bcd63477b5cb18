show --data data/samples --json us_ofac_sdn 9345
