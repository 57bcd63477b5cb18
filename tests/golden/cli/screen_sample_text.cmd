screen --sample --top 1 'Kim Jong Un'
