groups US CN --date 2026-07-23 --json
