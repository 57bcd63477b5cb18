show --data data/samples us_ofac_sdn 9345
