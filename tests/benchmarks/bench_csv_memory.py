"""Peak memory of reading a big CSV, against the float64 array it becomes (issue 26, fault 12).

Run: python tests/benchmarks/bench_csv_memory.py [rows]   (default 10,000,000)

Each load runs in its own process, which reports its peak resident memory
(VmHWM in /proc/self/status). The baseline in the same run is a process that
only imports vizgmm and numpy: what every load pays before reading a byte.
The target is load_data's peak minus that baseline at most 3x the array's
size; numpy.loadtxt on the same file is printed for comparison.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = r"""
import sys, numpy as np
import vizgmm
from vizgmm.data.loading import load_data
how, path = sys.argv[1], sys.argv[2]
if how == "load_data":
    X = load_data(path, column=sys.argv[3] if len(sys.argv) > 3 else None)[0]
elif how == "loadtxt":
    X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=0)
else:
    X = np.empty(0)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(peak * 1024, X.nbytes, X.shape[0])
"""


def measure(how, path, *extra):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, how, str(path), *extra],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2]), time.perf_counter() - start


def main(rows=10_000_000):
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        values = np.round(np.where(rng.random(rows) < 0.7, rng.normal(240, 7, rows), rng.normal(270, 6, rows)), 3)
        with open(path, "w") as handle:
            handle.write("x\n")
            for block in range(0, rows, 1_000_000):
                handle.write("\n".join(map(repr, values[block:block + 1_000_000].tolist())) + "\n")
        del values
        size = path.stat().st_size
        base, _, _, _ = measure("import", path)
        print(f"{rows:,} rows, file {size / 2**20:.0f} MB; import-only process peak {base / 2**20:.0f} MB")
        for how in ("load_data", "loadtxt"):
            peak, nbytes, n, seconds = measure(how, path)
            print(f"{how:<10} peak {peak / 2**20:6.0f} MB, minus baseline {(peak - base) / 2**20:6.0f} MB "
                  f"= {(peak - base) / nbytes:4.2f}x the float64 array ({nbytes / 2**20:.0f} MB, n = {n:,}); "
                  f"{seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
