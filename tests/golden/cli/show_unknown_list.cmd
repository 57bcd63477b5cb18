show --data data/samples bogus_list 9345
