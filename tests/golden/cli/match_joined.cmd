match 'Gazprom Bank' GAZPROMBANK --kind org
