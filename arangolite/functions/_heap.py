"""The C++ standard library's binary max-heap steps (``make_heap``, ``push_heap``,
``pop_heap``), step for step as libstdc++ implements them.

ArangoDB returns a MinHash signature in the order its heap leaves the hashes, so reproducing
that order needs the same sift steps, not just any heap (Python's ``heapq`` is a min-heap with
different steps).
"""

from __future__ import annotations

__all__ = ["make_heap", "pop_heap", "push_heap"]


def _push_up(heap: list[int], hole: int, top: int, value: int) -> None:
    parent = (hole - 1) // 2
    while hole > top and heap[parent] < value:
        heap[hole] = heap[parent]
        hole = parent
        parent = (hole - 1) // 2
    heap[hole] = value


def _adjust(heap: list[int], hole: int, length: int, value: int) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if heap[child] < heap[child - 1]:
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        heap[hole] = heap[child - 1]
        hole = child - 1
    _push_up(heap, hole, top, value)


def make_heap(heap: list[int]) -> None:
    """Arrange ``heap`` into a max-heap in place."""
    length = len(heap)
    if length < 2:
        return
    for parent in range((length - 2) // 2, -1, -1):
        _adjust(heap, parent, length, heap[parent])


def push_heap(heap: list[int]) -> None:
    """Sift the last element of ``heap`` up into place."""
    _push_up(heap, len(heap) - 1, 0, heap[-1])


def pop_heap(heap: list[int]) -> None:
    """Move the largest element to the end; the rest stays a heap."""
    last = len(heap) - 1
    if last < 1:
        return
    value = heap[last]
    heap[last] = heap[0]
    _adjust(heap, 0, last, value)
