"""Measure what an upload's check costs (issue 18), and print the figures.

- the 859-byte long-name bomb (a .tar.bz2 whose first header is a GNU long-name record of 1 GiB of zeros,
  tests/fixtures/archives/): time to refuse it, p50/max, and the peak of Python's allocations;
- a 64 MiB long-name bomb (.tar.gz): refused by the check, and read by plain `tarfile` (the old check), once;
- a legitimate 10 MiB upload (a Dockerfile and 2,000 small files): time to check and repack it, p50.

    .venv/bin/python bench/upload_check_bench.py [--runs 50] [--make-bomb]

`--make-bomb` writes the bomb fixture again (about 20 s of CPU: bzip2 over 1 GiB of zeros).
"""

from __future__ import annotations

import argparse
import bz2
import io
import statistics
import sys
import tarfile
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from sandbox.build_context import BuildContext  # noqa: E402
from sandbox.errors import InvalidBuildContext  # noqa: E402

BOMB = ROOT / "tests" / "fixtures" / "archives" / "longname-bomb-1gib.tar.bz2"
MiB = 1024 * 1024


def make_bomb(size: int = 1024 * MiB) -> bytes:
    """The issue's bomb: a GNU long-name header declaring `size`, then `size` zeros, bzip2-compressed."""
    info = tarfile.TarInfo("././@LongLink")
    info.type, info.size = tarfile.GNUTYPE_LONGNAME, size
    packer = bz2.BZ2Compressor(9)
    parts = [packer.compress(info.tobuf(format=tarfile.GNU_FORMAT))]
    for _ in range(size // MiB):
        parts.append(packer.compress(bytes(MiB)))
    return b"".join([*parts, packer.flush()])


def gz_bomb(size: int) -> bytes:
    info = tarfile.TarInfo("././@LongLink")
    info.type, info.size = tarfile.GNUTYPE_LONGNAME, size
    packer = zlib.compressobj(1, wbits=31)
    parts = [packer.compress(info.tobuf(format=tarfile.GNU_FORMAT))]
    parts += [packer.compress(bytes(MiB)) for _ in range(size // MiB)]
    return b"".join([*parts, packer.compress(bytes(1024)), packer.flush()])


def legitimate() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        files = [("Dockerfile", b"FROM busybox\nCOPY . /app\n")]
        files += [(f"src/{n:04d}.txt", bytes(5 * 1024)) for n in range(2000)]
        for name, body in files:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    try:
        action()
    except InvalidBuildContext:
        pass
    return time.perf_counter() - started


def peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        timed(action)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def plain_tarfile(data: bytes) -> None:
    """The old check's first step: tarfile reads the long-name record whole (then finds no member after it)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.next()
    except tarfile.TarError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--make-bomb", action="store_true")
    args = parser.parse_args()
    if args.make_bomb:
        BOMB.write_bytes(make_bomb())
    bomb = BOMB.read_bytes()
    refusals = [timed(lambda: BuildContext.from_archive("b.tar.bz2", bomb)) for _ in range(args.runs)]
    print(f"859-byte bomb ({len(bomb)} B, 1 GiB long name): refused in p50 {statistics.median(refusals) * 1000:.2f} ms, "
          f"max {max(refusals) * 1000:.2f} ms; peak allocations "
          f"{peak(lambda: BuildContext.from_archive('b.tar.bz2', bomb)) / 1024:.0f} KiB")
    big = gz_bomb(64 * MiB)
    print(f"64 MiB long-name bomb ({len(big) // 1024} KiB): check {timed(lambda: BuildContext.from_archive('b.tar.gz', big)) * 1000:.2f} ms; "
          f"plain tarfile {timed(lambda: plain_tarfile(big)) * 1000:.0f} ms, "
          f"peak {peak(lambda: plain_tarfile(big)) / MiB:.0f} MiB")
    upload = legitimate()
    checks = [timed(lambda: BuildContext.from_archive("c.tar.gz", upload)) for _ in range(max(3, args.runs // 10))]
    print(f"legitimate upload ({len(upload) // 1024} KiB, 2,001 files, 10 MiB): checked and repacked in "
          f"p50 {statistics.median(checks) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
