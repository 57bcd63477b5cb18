show --data docs us_ofac_sdn 9345
