groups JP KR --date 2019-08-27
