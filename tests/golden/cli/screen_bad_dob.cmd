screen --sample --dob yesterday 'Kim' 2>&1
