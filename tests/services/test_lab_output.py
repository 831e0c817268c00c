"""A command's output as the lab keeps it: the head and the tail, a neutral mark where the middle went."""

from __future__ import annotations

from sandbox.output import CUT_MARKER, OutputCollector, bytes_cut


def test_a_flood_keeps_its_head_and_tail_and_counts_exactly_what_was_dropped():
    collector = OutputCollector(limit=4096)
    for i in range(1000):
        collector.add(f"line {i:04d}\n".encode())
    kept = len(collector.head) + len(collector.tail)
    assert collector.truncated and kept == 4096
    assert bytes_cut(collector.total, collector.limit) == collector.total - kept == 10 * 1000 - 4096
    text = collector.text()
    head, marker, tail = text.partition(f"\n{CUT_MARKER}\n")
    assert marker and head.startswith("line 0000") and tail.rstrip().endswith("line 0999")
    assert "octets" not in text and "bytes" not in text, "the lab words nothing: the bot says how much was cut"


def test_output_within_the_limit_is_whole_and_unmarked():
    collector = OutputCollector(limit=4096)
    collector.add(b"hello\n")
    assert not collector.truncated and bytes_cut(collector.total, collector.limit) == 0
    assert collector.text() == "hello\n"
