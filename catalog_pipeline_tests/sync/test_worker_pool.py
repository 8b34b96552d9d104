"""The CLI's worker pool: a worker that dies fails only its own task, real processes."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from catalog_pipeline.cli.workers import TaskError, WorkerDied, WorkerPool

pytestmark = pytest.mark.process


def _setup(tag: str) -> None:
    os.environ["POOL_TEST_TAG"] = tag


def _task(name: str) -> str:
    if name == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "raise":
        raise ValueError("the task failed on purpose")
    return f"{name} by {os.environ['POOL_TEST_TAG']} in {os.getpid()}"


def test_a_dead_worker_fails_its_task_alone_and_is_replaced() -> None:
    tasks = ["a", "segfault", "b", "raise", "c", "segfault", "d"]
    with WorkerPool(2, multiprocessing.get_context("spawn"), _setup, ("tag",), _task) as pool:
        answers = dict(pool.run(tasks))
    assert set(answers) == set(tasks)
    assert answers["segfault"] == WorkerDied(-signal.SIGSEGV)
    assert answers["segfault"].description == "the worker process was killed by SIGSEGV"
    assert isinstance(answers["raise"], TaskError) and "on purpose" in answers["raise"].text
    done = {name: answers[name] for name in "abcd"}
    assert all(answer.startswith(f"{name} by tag in ") for name, answer in done.items())
    assert os.getpid() not in {int(answer.rsplit(" ", 1)[1]) for answer in done.values()}


def test_a_worker_that_cannot_start_answers_every_task_with_why() -> None:
    with WorkerPool(1, multiprocessing.get_context("spawn"), _setup, (), _task) as pool:
        answers = dict(pool.run(["a", "b"]))
    assert {type(answer) for answer in answers.values()} == {TaskError}
    assert all("the worker could not start" in answer.text for answer in answers.values())
