match onlyone
