screen 'Osama bin Laden' 2>&1
