"""Watching the project's files with watchfiles (inotify), without watching its virtualenv.

The project folder itself is watched without recursion (so ``leafpress.yaml`` is seen
however an editor saves it) and each content folder in it (leaflets, templates, styles,
images...) with recursion; folders of tools, output and caches are skipped, so a
``.venv`` with thousands of folders costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

from leafpress.core.project import THEME_DIR

IGNORED_DIRS = {"output", "node_modules", "venv", "env", "__pycache__", "site-packages"}
# Group a save's events, but answer soon after the last one: a batch is yielded once a step
# passes with no new event, so a save is seen 1–2 steps after it is written (30 ms steps took
# about 45 ms; the events of one save, even a rename-into-place, come well inside 10 ms).
STEP_MS = 10
DEBOUNCE_MS = 400


class ProjectFilter(DefaultFilter):
    """watchfiles' default filter (editor swap files, .git, caches) plus our build's temporary files."""

    def __call__(self, change: Change, path: str) -> bool:
        name = Path(path).name
        return super().__call__(change, path) and not name.endswith(".part") and not name.startswith(".#")


def content_dirs(root: Path) -> list[Path]:
    """The project's folders worth watching, and the built-in theme."""
    dirs = [
        path
        for path in sorted(root.iterdir())
        if path.is_dir()
        and not path.name.startswith(".")
        and path.name not in IGNORED_DIRS
        and not (path / "pyvenv.cfg").exists()
    ]
    return [*dirs, THEME_DIR]


async def watch_project(root: Path, on_change: Callable[[set[Path]], None], stop: asyncio.Event) -> None:
    """Call ``on_change`` with the changed paths after each save, until ``stop`` is set."""
    changes: asyncio.Queue[set[Path]] = asyncio.Queue()
    restart = asyncio.Event()

    async def pump(paths: list[Path], recursive: bool, until: asyncio.Event) -> None:
        async for batch in awatch(
            *paths,
            watch_filter=ProjectFilter(),
            step=STEP_MS,
            debounce=DEBOUNCE_MS,
            stop_event=until,
            recursive=recursive,
            ignore_permission_denied=True,
        ):
            await changes.put({Path(path) for _, path in batch})

    async def folders() -> None:
        # Re-watch when a content folder is added or removed at the top (say, a new templates/).
        while not stop.is_set():
            restart.clear()
            until = asyncio.Event()
            task = asyncio.create_task(pump(content_dirs(root), True, until))
            await asyncio.wait(
                [asyncio.create_task(restart.wait()), asyncio.create_task(stop.wait())],
                return_when=asyncio.FIRST_COMPLETED,
            )
            until.set()
            await task

    async def top() -> None:
        async for batch in awatch(
            root,
            watch_filter=ProjectFilter(),
            step=STEP_MS,
            debounce=DEBOUNCE_MS,
            stop_event=stop,
            recursive=False,
            ignore_permission_denied=True,
        ):
            paths = {Path(path) for _, path in batch}
            if any(
                change == Change.deleted or (change == Change.added and Path(path).is_dir()) for change, path in batch
            ):
                restart.set()
            await changes.put(paths)

    tasks = [asyncio.create_task(folders()), asyncio.create_task(top())]
    try:
        while not stop.is_set():
            getter = asyncio.create_task(changes.get())
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait([getter, stopper], return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if getter in done:
                on_change(getter.result())
            else:
                getter.cancel()
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
