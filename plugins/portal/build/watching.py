"""How the preview server learns that a file changed: told by the system
(watchfiles, which Pelican's own `--autoreload` uses: inotify on Linux)
rather than by livereload's own watcher, which

- looks at every watched file every 0.8 s while the server runs: at
  10,000 articles a look takes 0.24 s of CPU, a third of a core all the
  time, and a save waits 0.4 s on average before it is even seen;
- reloads the browser at most once every 3 s: an editor who saves again
  within 3 s of the last reload (a typo fixed at once) had the page
  re-rendered and never shown, until they reloaded it by hand.

Here a change is seen within about 50 ms, and the browser is reloaded after
every rebuild a change caused. Where the system cannot tell (inotify's
limits reached by other programs), the server says so in one line and
watchfiles looks at the files itself.
"""

import fnmatch
import os
import threading

import watchfiles
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

# What a task returns when the change it ran for shows nothing new (a file
# saved as it was, or reported twice): the browsers are left as they are.
NOTHING_NEW = "nothing new"
# watchfiles waits this long without a further change before it reports a
# batch (a save in two steps, a file and its photo): one rebuild for them.
QUIET_MS = 50


def matches(pattern: str, path: str) -> bool:
    """Whether `path` is one of the files livereload's glob `pattern` names
    ("folder/**/*.py": any .py file under folder, at any depth)."""
    folder, recursive, name = pattern.partition("/**/")
    if not recursive:
        return fnmatch.fnmatch(os.path.abspath(path), os.path.abspath(pattern))
    folder = os.path.abspath(folder)
    path = os.path.abspath(path)
    return path.startswith(folder + os.sep) and fnmatch.fnmatch(os.path.basename(path), name)


class SystemWatcher(Watcher):
    """livereload's Watcher, with the same `watch(pattern, func, delay,
    ignore)`, told of changes by watchfiles. The server's tasks run on its
    loop, one at a time, as livereload runs them."""

    def __init__(self, force_polling: bool | None = None, reload=LiveReloadHandler.reload_waiters):
        super().__init__()
        self.force_polling = force_polling
        self.reload = reload  # the browsers' pages
        self._changed: dict[str, str] = {}  # {pattern: a changed path}, not yet run
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def start(self, callback) -> bool:
        loop = IOLoop.current()
        patterns = list(self._tasks)
        folders = {os.path.abspath(p.partition("/**/")[0]) for p in patterns if "/**/" in p}
        # Single files (the settings, the requirements) by their folder, alone:
        # the project folder as a whole holds output/, written by every build.
        parents = {os.path.dirname(os.path.abspath(p)) for p in patterns if "/**/" not in p}
        for paths, recursive in ((folders, True), (parents, False)):
            if paths:
                threading.Thread(target=self._follow, args=(sorted(paths), recursive, loop, callback),
                                 daemon=True).start()
        callback()  # what serve() queued (the reload after a restart)
        return True  # livereload need not look at the files itself

    def _follow(self, paths: list[str], recursive: bool, loop: IOLoop, callback) -> None:
        try:
            self._report(paths, recursive, loop, callback, self.force_polling)
        except (OSError, RuntimeError) as error:
            # inotify's limits reached (instances, watches): watchfiles raises
            # its WatchfilesRustInternalError, a RuntimeError.
            if self.force_polling:
                raise
            print(f"Preview: the system cannot tell of changes in {paths[0]} ({error}); "
                  "looking at the files instead", flush=True)
            self._report(paths, recursive, loop, callback, True)

    def _report(self, paths, recursive, loop, callback, force_polling) -> None:
        for changes in watchfiles.watch(*paths, watch_filter=None, step=QUIET_MS, recursive=recursive,
                                        stop_event=self.stopping, force_polling=force_polling,
                                        raise_interrupt=False):
            found = {}
            for change, path in changes:
                if change == watchfiles.Change.modified and os.path.isdir(path):
                    continue  # a file in it added or removed (polling says so): seen as the file's
                for pattern, task in self._tasks.items():
                    if matches(pattern, path) and not (task["ignore"] and task["ignore"](path)):
                        found.setdefault(pattern, path)
            if found:
                with self._lock:
                    self._changed.update(found)
                loop.add_callback(callback)

    def examine(self):
        """Run the tasks of the files changed since the last call, then
        reload the browsers unless none has anything new to show
        (livereload's poll_tasks, calling this, would skip a reload within
        3 s of the last)."""
        if self._changes:
            return self._changes.pop()
        with self._lock:
            changed, self._changed = self._changed, {}
        shown = []
        for pattern, task in self._tasks.items():  # in the order they were watched
            if pattern in changed:
                self.filepath = changed[pattern]
                shown.append(task["func"]() if task["func"] else None)
        if any(result != NOTHING_NEW for result in shown):
            self.reload()
        return None, None

    def stop(self) -> None:
        self.stopping.set()
