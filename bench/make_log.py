"""Writes a large application log with OpenAI errors in it, for bench/explain.sh.

    python3 bench/make_log.py OUT SIZE_MB [ENDING_FILE] [dense]

The noise is what a web service logs (requests, cache hits, jobs), with a
timestamp on every line; every 20,000 lines a rate-limit error and the SDK's
retry line stand in it, and it ends with the traceback of an invalid key, as
a CI log of a failing test run does. `dense` makes one line in four speak of
errors without being one (`retries=0 last_error=none`), the hard case for the
search that picks the lines worth reading.
"""

import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
noise = [
    "2026-11-24T10:11:12.{n:06d}Z INFO  http: GET /api/items/{n} 200 12ms user=u_{n} trace=9f2c41d7a0b3{n}",
    "2026-11-24T10:11:12.{n:06d}Z DEBUG cache: hit key=item:{n} ttl=300 size=1432",
    "2026-11-24T10:11:12.{n:06d}Z INFO  worker: job {n} done in 341ms queue=default attempts=1",
    "2026-11-24T10:11:12.{n:06d}Z INFO  http: POST /api/orders 201 48ms user=u_{n} items=3 total=59.90",
]
rate_limit = (
    "2026-11-24T10:11:12.000000Z WARN  llm: openai.RateLimitError: Error code: 429 - {'error': {'message': "
    "'Rate limit reached for gpt-4o in organization org-AbCdEfGhIjKlMnOpQrStUvWx on requests per min (RPM): "
    "Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': "
    "'rate_limit_exceeded'}}\n"
    "2026-11-24T10:11:12.000000Z INFO  openai._base_client: Retrying request to /chat/completions in 0.4 seconds\n"
)
if sys.argv[4:] == ["dense"]:
    noise[2] = "2026-11-24T10:11:12.{n:06d}Z INFO  worker: job {n} done in 341ms retries=0 last_error=none"
block = "".join(noise[n % 4].format(n=n) + "\n" for n in range(20000)) + rate_limit
ending = open(sys.argv[3]).read() if len(sys.argv) > 3 else ""
target = size_mb * 1024 * 1024
with open(out, "w") as f:
    written = 0
    while written + len(block) + len(ending) <= target:
        f.write(block)
        written += len(block)
    f.write(ending)
