match 'Emma Daniels' 'EMMA LLC'
