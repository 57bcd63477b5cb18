screen --sample --dob 1974 'Kim Jong Un'
