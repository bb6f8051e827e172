"""Background (generator.output.background): a function run in a forked child gives what it
gives in the caller; any failure of the child means the caller computes it itself."""

from __future__ import annotations

import os

import pytest

from generator.output.background import Background, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork is not available here")


@needs_fork
def test_the_answer_comes_from_a_child_process() -> None:
    job = Background(lambda: (os.getpid(), {"openapi.json#paths/x": ("k", "text")}))
    assert job.forked
    pid, entries = job.result()
    assert pid != os.getpid() and entries == {"openapi.json#paths/x": ("k", "text")}


@needs_fork
def test_a_failing_child_leaves_the_work_to_the_caller() -> None:
    calls: list[int] = []

    def boom() -> int:
        calls.append(os.getpid())
        raise ValueError("bad document")

    job = Background(boom)
    with pytest.raises(ValueError, match="bad document"):  # raised in the caller, as without a child
        job.result()
    assert calls == [os.getpid()]  # the child's call is not visible here; the caller's is


@needs_fork
def test_an_answer_that_does_not_pickle_is_computed_again_in_the_caller() -> None:
    job = Background(lambda: (os.getpid(), lambda: None))
    pid, _ = job.result()
    assert pid == os.getpid()


@needs_fork
def test_a_child_killed_before_answering_is_a_miss() -> None:
    import signal
    import time

    parent = os.getpid()

    def slow_in_the_child() -> int:
        if os.getpid() != parent:
            time.sleep(30)
        return os.getpid()

    job = Background(slow_in_the_child)
    os.kill(job._process.pid, signal.SIGKILL)
    assert job.result() == os.getpid()


def test_disabled_runs_in_the_caller_and_close_is_harmless() -> None:
    job = Background(os.getpid, enabled=False)
    assert not job.forked and job.result() == os.getpid()
    job.close()
    if can_fork():
        unused = Background(lambda: 1)
        unused.close()  # the answer is not wanted: the child is stopped
        assert not unused._process.is_alive()
