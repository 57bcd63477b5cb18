screen --data data/samples --no-audit --id passport:9187629 'Zzyzx Qwerty'
