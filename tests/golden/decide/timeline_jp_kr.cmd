timeline JP KR
