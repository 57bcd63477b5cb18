screen --dob yesterday 'Kim'
