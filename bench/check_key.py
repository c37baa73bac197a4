"""A Python requests check of a key against a workspace's /health, as a script user would write it."""
import os
import sys

import requests

response = requests.get(
    os.environ["BENCH_URL"],
    headers={"Authorization": f"Bearer {os.environ['BENCH_KEY']}"},
    timeout=30,
)
print(response.status_code)
sys.exit(0 if response.status_code == 200 else 1)
