"""Runs the contenders alternately against the local TLS server and prints
medians, ratios, peak RSS and the binary's size. Called by bench/run.sh."""

import os
import statistics
import subprocess
import sys
import time

binary, port, ca, python = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rounds = int(os.environ.get("ROUNDS", "30"))
base = f"https://127.0.0.1:{port}/v1"
key = "sk-proj-BenchBenchBenchBenchBenchT3BlbkFJBenchBenchBenchBenchBench"
env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "OPENAI_API_KEY": key}

contenders = {
    "curl": ["curl", "-s", "-o", "/dev/null", "--cacert", ca, "-H", f"Authorization: Bearer {key}", f"{base}/models"],
    "doctor --ca-cert": [binary, "doctor", "--no-env-file", "--ca-cert", ca, "--base-url", base],
    "doctor (SSL_CERT_FILE)": [binary, "doctor", "--no-env-file", "--base-url", base],
    "python SDK": [python, "-c", f"from openai import OpenAI; OpenAI(base_url='{base}').models.list()"],
}
# The SDK's HTTP client takes its roots from SSL_CERT_FILE, as the second doctor does.
extra_env = {"doctor (SSL_CERT_FILE)": {"SSL_CERT_FILE": ca}, "python SDK": {"SSL_CERT_FILE": ca}}
offline = [binary, "doctor", "--offline", "--no-env-file"]


def run(argv, extra=None):
    """Wall time in ms of one run; fails loudly."""
    start = time.perf_counter_ns()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**env, **(extra or {})})
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


def peak_rss_kib(argv, extra=None):
    """Peak RSS of the program itself, measured by GNU time (a child forked
    from this Python process would count Python's pages until it execs)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env={**env, **(extra or {})}, text=True)
    return max(int(out.stderr.strip().splitlines()[-1]), 0)


samples = {name: [] for name in contenders}
for name, argv in contenders.items():  # warm-up: caches, page cache, .pyc files
    run(argv, extra_env.get(name))
for i in range(rounds):
    for name, argv in contenders.items():
        if name == "python SDK" and i >= max(5, rounds // 3):
            continue  # ~1 s a run; a third of the rounds is plenty
        samples[name].append(run(argv, extra_env.get(name)))

offline_samples = [run(offline) for _ in range(rounds * 5)]
has_time = os.path.exists("/usr/bin/time")
rss = {name: max(peak_rss_kib(argv, extra_env.get(name)) for _ in range(3)) if has_time else 0
       for name, argv in contenders.items()}
offline_rss = max(peak_rss_kib(offline) for _ in range(3)) if has_time else 0

curl = statistics.median(samples["curl"])
print(f"{'contender':<24} {'runs':>5} {'median ms':>10} {'× curl':>8} {'peak RSS':>10}")
for name, values in samples.items():
    median = statistics.median(values)
    print(f"{name:<24} {len(values):>5} {median:>10.2f} {median / curl:>8.2f} {rss[name] / 1024:>8.1f} MiB")
doctor = statistics.median(samples["doctor --ca-cert"])
print(f"{'doctor --offline':<24} {len(offline_samples):>5} {statistics.median(offline_samples):>10.2f} {'':>8} {offline_rss / 1024:>8.1f} MiB")
print()
print(f"doctor / curl:       {doctor / curl:.2f}  (target <= 1.3)")
print(f"python SDK / doctor: {statistics.median(samples['python SDK']) / doctor:.1f}  (target >= 20)")
print(f"binary size:         {os.path.getsize(binary) / 2**20:.2f} MiB  (target <= 6)")
