"""Peak memory of writing a 4K GIF: frames streamed to disk (what the app does) against Pillow's
multi-frame ``save_all`` (what it did), in the same run, each in its own child process.

    .venv/bin/python benchmarks/bench_gif_memory.py [FRAMES]

Frames are 3840×2160 pictures with a moving trail (no Qt rendering, so only the GIF writer is
measured). Prints, for 10 frames and for FRAMES (default 60), each writer's peak resident memory
and time: the streamed writer's peak stays flat, ``save_all`` grows with every frame.
"""

from __future__ import annotations

import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZE = (3840, 2160)


def frame(i: int, n: int) -> object:  # a numpy array (numpy is imported in the child only)
    import numpy as np

    w, h = SIZE
    x = np.linspace(0, 1, w, dtype=np.float32)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    rgb = np.empty((h, w, 3), np.uint8)
    rgb[..., 0] = (200 * x + 40 * y).astype(np.uint8)
    rgb[..., 1] = (180 - 80 * y + 0 * x).astype(np.uint8)
    rgb[..., 2] = (120 + 100 * x * y).astype(np.uint8)
    t = np.linspace(0, 2 * np.pi * (i + 1) / n, 4000)
    px = (w / 2 + 0.4 * w * np.cos(t) * np.exp(-t / 10)).astype(int)
    py = (h / 2 + 0.4 * h * np.sin(t) * np.exp(-t / 10)).astype(int)
    for d in range(-4, 5):
        rgb[np.clip(py + d, 0, h - 1), np.clip(px, 0, w - 1)] = (213, 94, 0)
    return rgb


def child(kind: str, frames: int, out: str) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])  # noqa: F841 (QColor needs no more than this)
    from gui.export import _GifSink

    start = time.perf_counter()
    if kind == "streamed":
        sink = _GifSink(20, ["#D55E00", "#000000", "#ffffff"], Path(out), SIZE)
        sink.set_palette(frame(frames - 1, frames))
        for i in range(frames):
            sink.add(frame(i, frames))
        sink.finish(Path(out))
    else:  # the previous writer: every frame quantized and kept until save_all
        palette = Image.fromarray(frame(frames - 1, frames)).quantize(colors=253)
        images = [Image.fromarray(frame(i, frames)).quantize(palette=palette) for i in range(frames)]
        images[0].save(out, save_all=True, append_images=images[1:], duration=50, loop=0, disposal=1)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{peak_mb:.0f} {seconds:.1f}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    counts = [10, int(sys.argv[1]) if len(sys.argv) > 1 else 60]
    root = Path(__file__).resolve().parents[1]
    machine = platform.processor() or platform.machine()
    print(f"GIF of 3840×2160 frames — {machine}, Python {platform.python_version()}")
    print(f"{'frames':>7} {'writer':>10} {'peak MB':>8} {'seconds':>8} {'file MB':>8}")
    for n in counts:
        peaks = {}
        for kind in ("streamed", "save_all"):
            out = Path(f"/tmp/bench-gif-{kind}.gif")
            result = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(n), str(out)],
                capture_output=True, text=True, check=True, cwd=root,
            )  # fmt: skip
            peak, seconds = result.stdout.split()
            peaks[kind] = float(peak)
            print(f"{n:>7} {kind:>10} {peak:>8} {seconds:>8} {out.stat().st_size / 1e6:>8.1f}")
            out.unlink()
        print(f"{'':>7} {'ratio':>10} {peaks['save_all'] / peaks['streamed']:>8.2f}")


if __name__ == "__main__":
    main()
