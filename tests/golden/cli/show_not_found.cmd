show --data data/samples us_ofac_sdn 123456789
