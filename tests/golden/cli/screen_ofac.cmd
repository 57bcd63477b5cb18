screen --data data/samples --scorer ofac --threshold 0.5 'Kim Jong Un'
