screen --json --data tests/golden/cli/demo.entities.ftm.json --dob 1988 'Мария Захарова'
