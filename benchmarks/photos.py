"""Time and peak memory to turn a 12-megapixel phone photo into the stored renditions.

    python benchmarks/photos.py              # 4000 × 3000, 5 runs, each in a fresh process
    python benchmarks/photos.py --runs 9 --size 8000x6000

Makes a noisy 4000 × 3000 JPEG with EXIF (GPS, orientation) like a phone's (noise is the hard case for
the encoders), then, for each run, starts a new Python process that imports the app, reads the file
and calls ``app.photos.processing.process`` once: decoding (at a reduced scale where JPEG allows),
turning upright, resizing to 320/640/1280 and encoding WebP and JPEG. It prints the median and the
slowest time (and the CPU time, which a busy machine does not stretch), and the peak resident memory of the process (``ru_maxrss``) before and after the call.
The target is under 1 s and under 200 MB.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from app.photos.processing import process
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
result = process(data)
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "rss_before_kb": before, "rss_peak_kb": after, "input_bytes": len(data),
                  "output_bytes": sum(len(v) for v in result.files.values()), "width": result.width,
                  "height": result.height}))
"""


def phone_photo(width: int, height: int) -> bytes:
    from PIL import Image

    # A gradient with noise on top, in colour: what a photo of a street in the evening is to an encoder.
    noise = [Image.effect_noise((width, height), sigma).point(lambda v, s=shift: (v + s) % 256)
             for sigma, shift in ((60, 0), (50, 40), (70, 90))]
    img = Image.merge("RGB", noise)
    gradient = Image.linear_gradient("L").resize((width, height))
    img = Image.blend(img, Image.merge("RGB", (gradient, gradient, gradient)), 0.5)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Apple"
    exif.get_ifd(0x8825).update({1: "N", 2: (63.0, 26.0, 1.5), 3: "E", 4: (10.0, 25.0, 12.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="4000x3000", help="width x height of the photo (default 4000x3000)")
    parser.add_argument("--make", help=argparse.SUPPRESS)   # internal: write the photo to this path and stop
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.lower().split("x"))
    if args.make:
        Path(args.make).write_bytes(phone_photo(width, height))
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "phone.jpg"
        # Made in a process of its own: a child inherits its parent's peak memory as its own starting peak,
        # so this process stays small and the measuring ones start clean.
        subprocess.run([sys.executable, __file__, "--make", str(path), "--size", args.size], check=True)  # noqa: S603
        results = []
        for _ in range(args.runs):
            child = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)],  # noqa: S603  (our own argv)
                                   capture_output=True, text=True, check=True, env=dict(os.environ))
            results.append(json.loads(child.stdout))

    times = [r["seconds"] for r in results]
    cpu = [r["cpu_seconds"] for r in results]
    peak = max(r["rss_peak_kb"] for r in results) / 1024
    before = max(r["rss_before_kb"] for r in results) / 1024
    first = results[0]
    print(f"photo: {width} x {height} ({width * height / 1e6:.0f} megapixels), {first['input_bytes'] / 1e6:.1f} MB JPEG")
    print(f"renditions: 320/640/1280 in WebP and JPEG, {first['output_bytes'] / 1e3:.0f} kB in all, "
          f"largest {first['width']} x {first['height']}")
    print(f"time: median {statistics.median(times):.3f} s, slowest {max(times):.3f} s ({args.runs} runs, fresh process each); "
          f"CPU time median {statistics.median(cpu):.3f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"peak memory (resident): {peak:.0f} MB for the process, of which {before:.0f} MB before processing "
          f"(Python, Pillow, the file read)")


if __name__ == "__main__":
    main()
