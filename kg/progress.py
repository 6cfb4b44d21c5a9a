"""Progress of a long build on stderr: a live line on a terminal, log lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """A duration for people: ``42s``, ``3m05s``, ``2h07m``.

    >>> format_duration(42.4), format_duration(185), format_duration(7620)
    ('42s', '3m05s', '2h07m')
    """
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Progress:
    """Counts articles done and shows them: done/total, articles per second, ETA.

    On a terminal the line is redrawn in place (at most every ``tty_interval``
    seconds); otherwise a plain line is written every ``log_interval`` seconds,
    so logs of a batch job stay readable. ``total`` may be ``None`` (unknown).
    The rate counts only articles that were built, not the unchanged ones
    skipped, so the ETA holds on a resumed build. Thread-safe.
    """

    def __init__(
        self,
        total: int | None,
        stream: TextIO | None = None,
        *,
        live: bool | None = None,
        tty_interval: float = 0.25,
        log_interval: float = 5.0,
    ) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.interval = tty_interval if self.live else log_interval
        self.done = self.built = self.failed = 0
        self.started = time.monotonic()
        self._last = self.started
        self._lock = threading.Lock()
        self._width = 0

    def add(self, built: int = 0, unchanged: int = 0, failed: int = 0) -> None:
        """Count articles: built (written), unchanged (skipped), failed."""
        with self._lock:
            self.built += built
            self.failed += failed
            self.done += built + unchanged + failed
            now = time.monotonic()
            if now - self._last >= self.interval:
                self._last = now
                self._show(now)

    def line(self, now: float | None = None) -> str:
        """The current state in one line."""
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.built / elapsed
        if self.total:
            head = f"{self.done:,}/{self.total:,} articles ({min(self.done / self.total, 1):.0%})"
        else:
            head = f"{self.done:,} articles"
        parts = [head, f"{rate:.1f} articles/s"]
        if self.total and rate > 0 and self.done < self.total:
            parts.append("ETA " + format_duration((self.total - self.done) / rate))
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        return ", ".join(parts)

    def _show(self, now: float) -> None:
        text = self.line(now)
        if self.live:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self.stream.write(f"kg: {text}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the live line, so what follows starts on a line of its own."""
        with self._lock:
            if self.live and self._width:
                self._show(time.monotonic())
                self.stream.write("\n")
                self.stream.flush()
                self._width = 0
