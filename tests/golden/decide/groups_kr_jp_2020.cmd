groups KR JP --date 2020-01-01
