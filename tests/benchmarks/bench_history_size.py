"""history.json's size and `vizgmm player`'s time and peak memory at d = 1000 (issue 26, fault 12).

Run: python tests/benchmarks/bench_history_size.py [d] [n]   (default d = 1000, n = 300)

A k = 2 soft EM with full covariances, 3 epochs (4 snapshots), saved with the
vizgmm on PYTHONPATH; then `python -m vizgmm player history.json` in its own
process, which reports its wall time and peak resident memory (VmHWM, read
by a wrapper after the command ran in the same process); History.load alone
the same way. The player's own work (its bound view factors each d×d matrix)
is the same before and after; the difference is reading the file. For the numbers
before the change, run it with PYTHONPATH pointing at an export of the older
code (git archive 855e250 vizgmm templates | tar -x -C /tmp/old).
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = r"""
import sys
from vizgmm.cli.main import main
from vizgmm.model.history import History
if sys.argv[2] == "load":
    History.load(sys.argv[1])
    status = 0
else:
    status = main(["player", sys.argv[1], "--quiet"])
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(status, peak * 1024)
"""


def main(d=1000, n=300):
    import vizgmm

    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 1, (n // 2, d)), rng.normal(2, 1, (n - n // 2, d))]
    with tempfile.TemporaryDirectory() as folder:
        history = vizgmm.fit(x, 2, seed=0, max_iter=3, tol=0)
        json_path, npz_path = history.save(Path(folder) / "history.json")
        print(f"vizgmm {vizgmm.__version__} from {Path(vizgmm.__file__).parent}")
        print(f"d = {d}, n = {n}, {len(history)} snapshots: history.json {json_path.stat().st_size / 2**20:.2f} MB, "
              f"history.npz {npz_path.stat().st_size / 2**20:.2f} MB")
        for what in ("load", "player"):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(json_path), what],
                                 capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            status, peak = map(int, out.stdout.split())
            label = "History.load alone" if what == "load" else "vizgmm player"
            print(f"{label:<18}: exit {status}, {seconds:5.1f} s, peak {peak / 2**20:4.0f} MB", flush=True)
        print(f"player.html {(Path(folder) / 'player.html').stat().st_size / 2**20:.2f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
