"""How well, how fast and at what memory cost Medvirk finds the language of what people write.

    python benchmarks/language_detection.py

For each of lingua's two modes (low accuracy, the default; high accuracy, LANGUAGE_DETECTION_HIGH_ACCURACY)
it starts a fresh Python process that runs the detector over the demo corpus (ideas, comments
and feedback, each labelled with the language it was written in, app/demo/corpus.py), and prints the time
of the first text (lingua loads its models then), the process's extra memory (peak RSS after minus before), the median time per text after it,
and how many texts came out right, wrong or unsure (None), by text length. Bokmål and Nynorsk are counted
as one: Medvirk offers no translation between them.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from app import create_app
from app.demo.corpus import COMMENTS, FEEDBACK, IDEAS
from app.translation import detect

high = sys.argv[1] == "high"
texts = [(c["lang"], "\n".join(p for p in (c.get("title"), c.get("body") or c.get("text")) if p))
         for c in IDEAS + COMMENTS + FEEDBACK if c.get("lang")]
app = create_app("testing")
app.config["LANGUAGE_DETECTION_HIGH_ACCURACY"] = high
with app.app_context():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    detect._detector(high)   # lingua loads its models lazily, on the first text: timed below as "first"
    results, times = [], []
    for lang, text in texts:
        t = time.perf_counter()
        found = detect.detect_language(text)
        times.append(time.perf_counter() - t)
        results.append((lang, found, len(text)))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"built": times[0], "memory_mb": (after - before) / 1024, "times": times[1:], "results": results}))
"""


def _same(expected: str, found: str | None) -> bool:
    norwegian = {"nb", "nn", "no"}
    return found == expected or (expected in norwegian and found in norwegian)


def _measure(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(ROOT)], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    print(f"{'mode':<6} {'first s':>8} {'+MB':>7} {'ms/text':>8}  {'length':<10} {'texts':>5} "
          f"{'right':>6} {'wrong':>6} {'unsure':>6}")
    for mode in ("low", "high"):
        m = _measure(mode)
        first = True
        for label, low, high in (("< 40", 0, 40), ("40-150", 40, 150), ("> 150", 150, 10**9), ("all", 0, 10**9)):
            rows = [r for r in m["results"] if low <= r[2] < high]
            right = sum(1 for e, f, _ in rows if _same(e, f))
            unsure = sum(1 for _, f, _ in rows if f is None)
            head = (f"{mode:<6} {m['built']:>8.2f} {m['memory_mb']:>7.0f} "
                    f"{statistics.median(m['times']) * 1000:>8.2f}") if first else " " * 32
            print(f"{head}  {label:<10} {len(rows):>5} {right:>6} {len(rows) - right - unsure:>6} {unsure:>6}")
            first = False
        wrong = [(e, f, n) for e, f, n in m["results"] if f is not None and not _same(e, f)]
        if wrong:
            print(f"       wrong ({mode}): " + ", ".join(f"{e}->{f} ({n} chars)" for e, f, n in wrong[:8]))


if __name__ == "__main__":
    main()
