timeline JP KR --json
