"""Speed of the plan extractor: `python bench/bench_extractor.py` from the project root.

For each sample plan, and for a 10x concatenation of it: median time over several runs, size in KB,
and the ratio of the 10x time to 10 times the single time (about 1 means linear). The same for all
samples together. Target: a 50 KB plan in at most 0.5 s median. Standard library plus the extractor.

Copies are concatenated without their closing part ("Nơi nhận" …), where reading stops, so that
every copy is really extracted. Times are wall-clock medians; the ratio is also given in CPU time,
which a busy machine disturbs less.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plans.extractor import extract_text  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"
FALLBACK = ROOT / "plans" / "tests" / "fixtures"
RUNS = 7


def medians(text: str, runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU seconds of extracting ``text``."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        extract_text(text, source="bench")
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def body_only(text: str) -> str:
    cut = text.find("Nơi nhận")
    return text if cut == -1 else text[:cut]


def kb(text: str) -> float:
    return len(text.encode("utf-8")) / 1024


def report(name: str, text: str) -> None:
    once = body_only(text)
    w1, c1 = medians(text)
    tenfold = "\n".join([once] * 10)
    w10, c10 = medians(tenfold, runs=max(3, RUNS // 2))
    print(f"{name}: {kb(text):.1f} KB, median {w1 * 1000:.1f} ms")
    print(
        f"{name} x10: {kb(tenfold):.1f} KB, median {w10 * 1000:.1f} ms, "
        f"ratio {w10 / (10 * w1):.2f} (CPU time ratio {c10 / (10 * c1):.2f})"
    )


def main() -> int:
    paths = sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []
    if not paths:
        paths = sorted(FALLBACK.glob("*_plan.txt")) + sorted(FALLBACK.glob("*_plan.md"))
    if not paths:
        print("no sample plans found")
        return 1
    texts = [p.read_text(encoding="utf-8") for p in paths]
    extract_text(texts[0])  # warm-up: catalogue index, regular expressions
    print(f"median of {RUNS} runs (10x: {max(3, RUNS // 2)} runs)")
    for path, text in zip(paths, texts, strict=True):
        report(path.name, text)
    report("all samples", "\n".join(body_only(t) for t in texts))
    fifty = "\n".join(body_only(t) for t in texts)
    while kb(fifty) < 50:
        fifty += "\n" + fifty
    fifty = fifty.encode("utf-8")[: 50 * 1024].decode("utf-8", "ignore")
    w50, _ = medians(fifty)
    verdict = "ok" if w50 <= 0.5 else "TOO SLOW"
    print(f"50 KB plan: median {w50 * 1000:.1f} ms (target <= 500 ms: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
