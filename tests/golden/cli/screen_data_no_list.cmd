screen --data data/examples 'Osama bin Laden' 2>&1
