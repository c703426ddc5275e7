"""An asyncio loop in a daemon thread: the client's requests run there while the caller
(the harness, the scorer) stays synchronous."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Awaitable, Callable, Coroutine

SHUTDOWN_S = 10.0


class LoopThread:
    """A loop in its own thread, shared by successive `submit` calls until `stop`."""

    def __init__(self, name: str):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name=name)
        self.thread.start()

    def submit(self, coroutine: Coroutine[Any, Any, Any]) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def stop(self, *, before: Callable[[], Awaitable[None]] | None = None) -> None:
        """Cancel every task still on the loop and wait for each to end (so none is
        left pending, and no task's exception goes unretrieved), run `before` (closing
        clients), then stop the loop and its thread."""
        try:
            self.submit(_finish(before)).result(timeout=SHUTDOWN_S)
        except Exception:  # a broken connection pool must not mask the caller's error
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=SHUTDOWN_S)
        if not self.thread.is_alive():
            self.loop.close()


async def _finish(before: Callable[[], Awaitable[None]] | None) -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)  # retrieves every exception
    if before is not None:
        await before()
