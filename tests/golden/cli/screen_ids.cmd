screen --data data/samples --no-audit --id imo:9187629 --id 'swift_bic:vtbr ru mm' 'Zzyzx Qwerty'
