"""Worker processes for batch builds: a pool fed one job per worker, replaced as it ages.

Each worker is forked from a server that has already imported the pipeline (and so
WeasyPrint), then keeps its font configuration, parsed stylesheets and templates between
documents. WeasyPrint's memory grows in long-lived processes (its issue #2130), so the pool
is replaced after each worker has built ``WORKER_MAX_DOCUMENTS`` documents.
concurrent.futures' own ``max_tasks_per_child`` is not used: it can deadlock on Python 3.11
to 3.13 (CPython gh-115634).

Ctrl-C (or SIGTERM) asks the build to stop: nothing new starts, the leaflets being built
finish and are recorded. A second Ctrl-C stops the workers at once; they remove their
temporary files as they go.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from leafpress.build.jobs import Job, Outcome, Reporter, build_job
from leafpress.core.project import Project
from leafpress.core.runtime import collect_garbage_less_often

WORKER_MAX_DOCUMENTS = 40

_worker_project: Project | None = None


def _start_worker(project: Project, environment: dict[str, str]) -> None:
    """Set up a worker: leave Ctrl-C to the build, clean up on SIGTERM, warm the caches."""
    global _worker_project
    _worker_project = project
    # A fork server starts a fresh interpreter: the command's settings are not inherited.
    collect_garbage_less_often()
    # The fork server keeps the environment it started with; a worker builds with the build's
    # (LEAFPRESS_TODAY, say), even when one process runs several builds.
    os.environ.clear()
    os.environ.update(environment)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SystemExit unwinds the stack, so write_atomic removes a half-written temporary file.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
    from leafpress.render.pdf import font_config

    font_config()


def _exit_when_orphaned() -> None:
    """If the build was killed outright (SIGKILL), stop rather than build for nobody.

    The build process, not the fork server, is the worker's parent_process(); joining it
    returns when it has gone.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        # To the main thread: a signal taken by this thread would not wake it from a blocking read.
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
        time.sleep(10)
        os._exit(1)  # the main thread is stuck in C code: stop anyway


def _build_in_worker(job: Job, output_dir: Path) -> Outcome:
    assert _worker_project is not None, "worker not started with _start_worker"
    try:
        return build_job(job, _worker_project, output_dir)
    except SystemExit as stop:
        # SIGTERM: unwinding has removed any temporary file. Exit for real: the pool would
        # otherwise catch this and carry on with the next job.
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server that has already imported the pipeline (and WeasyPrint)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    _workers_import_this_leafpress()
    context.set_forkserver_preload(["leafpress.build.pipeline"])
    return context


def _workers_import_this_leafpress() -> None:
    """Let the fork server import the leafpress this process runs, wherever it was imported from.

    Python 3.11's fork server does not take the parent's ``sys.path`` (only its environment), so
    ``python generate.py`` from a checkout that is not installed, or beside another installed
    copy, would give workers no leafpress, or another one.
    """
    root = str(Path(__file__).resolve().parents[2])
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if paths[0] != root:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *[p for p in paths if p and p != root]])


class _StopRequest:
    """The first Ctrl-C or SIGTERM asks for a stop; the second raises KeyboardInterrupt at once."""

    def __init__(self) -> None:
        self.requested = False
        self.announced = False

    def __call__(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def build_in_parallel(
    todo: list[Job],
    project: Project,
    output_dir: Path,
    workers: int,
    finished: Callable[[Outcome], None],
    reporter: Reporter,
) -> None:
    """Build ``todo`` with ``workers`` processes, calling ``finished`` as each job ends.

    Raises KeyboardInterrupt when stopped by Ctrl-C or SIGTERM (after the running jobs ended).
    """
    _ParallelBuild(project, output_dir, workers, finished, reporter).run(todo)


class _ParallelBuild:
    def __init__(
        self, project: Project, output_dir: Path, workers: int, finished: Callable[[Outcome], None], reporter: Reporter
    ) -> None:
        self.project = project
        self.output_dir = output_dir
        self.workers = workers
        self.finished = finished
        self.reporter = reporter
        self.waiting: list[Job] = []
        self.crashed_once: set[Job] = set()
        self.stop = _StopRequest()

    def run(self, todo: list[Job]) -> None:
        self.waiting = list(reversed(todo))
        context = _pool_context()
        with self.stop.installed():
            while self.waiting and not self.stop.requested:
                self.run_pool(
                    ProcessPoolExecutor(
                        self.workers,
                        mp_context=context,
                        initializer=_start_worker,
                        initargs=(self.project, dict(os.environ)),
                    )
                )
        if self.stop.requested:
            raise KeyboardInterrupt

    def crashed(self, job: Job) -> None:
        """A job whose worker died is tried once more, alone; then it fails."""
        if job in self.crashed_once:
            self.finished(
                Outcome(
                    job=job,
                    errors=[
                        f"{job}: the worker process building it stopped unexpectedly "
                        "(out of memory?) — try again with --jobs 1"
                    ],
                )
            )
        else:
            self.crashed_once.add(job)
            self.waiting.append(job)

    def may_start(self, running: dict[Future[Outcome], Job], submitted: int) -> bool:
        if not self.waiting or self.stop.requested or len(running) >= self.workers:
            return False
        if submitted >= self.workers * WORKER_MAX_DOCUMENTS:
            return False  # this pool has done its share: a fresh one takes over
        # A job that crashed a worker runs alone, so it cannot take another job down with it.
        return not running or not (self.waiting[-1] in self.crashed_once or self.crashed_once & set(running.values()))

    def run_pool(self, pool: ProcessPoolExecutor) -> None:
        """Feed jobs to ``pool`` until it has built its share, broke, or a stop was asked for."""
        running: dict[Future[Outcome], Job] = {}
        submitted = 0
        try:
            while True:
                # At most one job per worker in flight: a crash touches only those, and a
                # stop waits for no more than one leaflet per worker.
                while self.may_start(running, submitted):
                    job = self.waiting.pop()
                    running[pool.submit(_build_in_worker, job, self.output_dir)] = job
                    submitted += 1
                if not running:
                    return
                done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                if self.stop.requested and not self.stop.announced:
                    self.stop.announced = True
                    self.reporter.stopping(len(running))
                broken = any(isinstance(future.exception(), BrokenProcessPool) for future in done)
                if broken:
                    wait(running)  # a broken pool fails every job it holds
                    done = set(running)
                for future in done:
                    job = running.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        self.crashed(job)
                    else:
                        self.finished(_outcome_of(future, job))
                if broken:
                    return  # a broken pool takes no more work: start a fresh one
        except KeyboardInterrupt:
            # Ctrl-C a second time: stop now. A pool has no public way to stop its workers;
            # SIGTERM makes them remove their temporary files.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # e.g. an outcome that could not be sent back
        return Outcome(job=job, errors=[f"{job}: internal error: {type(exc).__name__}: {exc} — please report this"])
