match --scorer ofac 'VLADIMIR PUTIN' 'VLADIMIR BILIY'
