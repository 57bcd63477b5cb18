decide --data data/examples data/examples/machine_tool_kr.json 2>&1
