"""Rendering a build's pages on every core.

Pelican renders and writes one page at a time, in its generators' order.
The build's writer (selective_writer.IncrementalWriter) holds each of
those requests instead (a WriteCall: the arguments of one
Writer.write_file, one page or a paginated list), and once the generators
that write pages have all asked, RenderHeldPages (a generator Pelican runs
after them) has them rendered:

- cut into chunks of a few files, in Pelican's order; this process and
  forked workers (core.workers) each take the next chunk, largest first,
  until none is left, and render and write it as the serial writer would;
- a worker sends back what this process must know of its chunks: the
  writer's record (the pages' input digests, which it rendered and kept),
  the files it wrote (Pelican's overwrite detection knows every file), the
  problems logged while rendering (the build fails on them as before);
- this process's own pages are announced (Pelican's content_written
  signal) as it writes them, so that the check workers (check.check_and_fill)
  start on them at once, as in a serial build; then it announces the
  workers' pages, in Pelican's order, each with its own context, as if it
  had written them: the check, the list of files a complete site has
  (build.site) and the pages' sources see every page.

Forked workers see Pelican's whole context as it is, copy-on-write:
gc.freeze() first, so that the collector of each process never walks, and
so copies, the memory they share. A chunk whose result did not come back,
or whose rendering failed in a worker, is rendered again here: its error
stops the build as in a serial one, naming the template and line
(core.problems.crash_problem).

Off unless RENDER_ON_ALL_CORES (see there why). When on, small sites
(fewer than PARALLEL_FROM files), large ones (more than PARALLEL_UP_TO:
memory), a machine with one core or without fork, and writes of one file
twice (Pelican's override_output: their order matters) are rendered here,
in order, as Pelican would.
"""

import gc
import logging
import multiprocessing
import os
from dataclasses import dataclass, field

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import sanitised_join

from ..core import problems as problem_log
from ..core.workers import forked_pool, workers_can_help

# Off: on this project's 2-core machine it did not make a clean build
# faster (1,000 articles, three builds each way side by side: 11.6-15.5 s
# against 11.3-19.0 s in-process), for 10 % more CPU and memory (below):
# while Pelican renders in-process, the check workers already use the
# second core (check.check_and_fill.ChecksAsWritten), and rendering is a
# fifth of the build's CPU. It pays once checking a page is cheap.
RENDER_ON_ALL_CORES = False
# Fewer files than this are rendered in-process: forking and sending the
# results back would cost more than the second core gains.
PARALLEL_FROM = 200
# More files than this are rendered in-process too, for memory: the forked
# worker copies every page of Pelican's memory it touches (reference
# counts). Measured side by side, the peak of all processes together grew
# by 8 MB at 1,000 articles (1,691 files) and by 58 MB at 5,000 (8,300
# files), where the build gained only 3 %: its second core is busy checking
# pages already (check.check_and_fill.ChecksAsWritten). At 10,000 articles
# one parallel build peaked at 1,084 MB, over issue 16's 1 GB.
PARALLEL_UP_TO = 5000
# Files per chunk: enough work per chunk for the bookkeeping to vanish,
# few enough for both cores to finish together.
CHUNK_FILES = 8


@dataclass
class WriteCall:
    """One Writer.write_file request, as Pelican made it. Its context is
    the generator's own dictionary, not a copy: Pelican's generators do not
    change it once they write (render.page_inputs relies on that too), and
    a copy of some 200 settings per page would cost 150 MB at 10,000
    articles."""

    name: str
    template: object
    context: dict
    relative_urls: bool = False
    paginated: dict | None = None
    template_name: str | None = None
    override_output: bool = False
    url: str | None = None
    kwargs: dict = field(default_factory=dict)

    def files(self, settings, output_path) -> list[str]:
        """The paths Writer.write_file writes for this call: one, or one
        per page of a paginated list (as Pelican's own writer counts them)."""
        return [sanitised_join(output_path, name) for name in self.names(settings)]

    def paginates(self, settings) -> bool:
        """Whether Pelican's writer makes pages of a list of it (even one)."""
        return bool(self._paginated()) and self.template_name in settings["PAGINATED_TEMPLATES"]

    def local_contexts(self, settings):
        """(page, the local context Pelican's writer renders it with) for each
        of its pages, as Writer.write_file makes them (without RELATIVE_URLS)."""
        def local(name, kwargs):
            return {**self.context, "localsiteurl": self.context.get("localsiteurl"), "output_file": name,
                    **kwargs}

        if not self.paginates(settings):
            yield self.name, local(self.name, self.kwargs)
            return
        paginators = {key: Paginator(self.name, self.url, value, settings, self._per_page(settings))
                      for key, value in self._paginated().items()}
        pages = next(iter(paginators.values())).num_pages
        for number in range(1, pages + 1):
            kwargs = dict(self.kwargs)
            for key, paginator in paginators.items():
                page = paginator.page(number)
                kwargs.update({f"{key}_paginator": paginator, f"{key}_page": page,
                               f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                               f"{key}_next_page": paginator.page(number + 1) if number < pages else None})
            yield page.save_as, local(page.save_as, kwargs)

    def _paginated(self) -> dict:
        if self.paginated is not None:
            return self.paginated
        return {key: value for key, value in self.kwargs.items() if key in {"articles", "dates"}}

    def _per_page(self, settings) -> int:
        return settings["PAGINATED_TEMPLATES"][self.template_name] or settings["DEFAULT_PAGINATION"]

    def names(self, settings) -> list[str]:
        if not self.paginates(settings):
            return [self.name]
        paginator = Paginator(self.name, self.url, next(iter(self._paginated().values())), settings,
                              self._per_page(settings))
        return [paginator.page(number).save_as for number in paginator.page_range]


class RenderHeldPages:
    """A generator in name only (brought in by Pelican's get_generators
    signal, so Pelican runs it after its own generators that write pages):
    its output is the pages the writer held. A generator of another plugin
    that Pelican runs later has its pages written at once."""

    def __init__(self, *args, **kwargs):
        pass

    def generate_output(self, writer):
        render_held = getattr(writer, "render_held_pages", None)
        if render_held is not None:
            render_held()


def rendering_generator(pelican):
    """Pelican's get_generators signal."""
    return RenderHeldPages


def holds_pages() -> bool:
    """Whether the writer should hold pages for the workers: only where
    there can be any. Otherwise it writes each at once, as Pelican's does."""
    return RENDER_ON_ALL_CORES and workers_can_help()


@dataclass
class ChunkResult:
    index: int
    record: dict  # the writer's record of this chunk's pages alone
    written: list[str]
    problems: list = field(default_factory=list)  # core.problems.Problem
    log_records: list = field(default_factory=list)  # (logger, level, message), outside a build
    failed: bool = False
    here: bool = False  # rendered by this process, its pages announced as written


def render_calls(writer, calls: list[WriteCall]) -> None:
    """Render and write `calls`, on every core when they are many."""
    try:
        files = [call.files(writer.settings, writer.output_path) for call in calls]
    except Exception:  # a name Pelican refuses: let it fail where it would have
        files = None
    total = sum(map(len, files)) if files is not None else 0
    if not PARALLEL_FROM <= total <= PARALLEL_UP_TO or not workers_can_help() \
            or _a_file_twice(files, writer):
        for call in calls:
            writer.write_call(call)
        return
    _AllCores(writer, calls, files).render()


def _a_file_twice(files: list[list[str]], writer) -> bool:
    seen = set(writer._written_files) | set(writer._overridden_files)
    for paths in files:
        for path in paths:
            if path in seen:
                return True
            seen.add(path)
    return False


# The rendering under way in this process: the forked workers find it here.
_under_way: "_AllCores | None" = None


class _AllCores:
    """One rendering of the held calls by this process and forked workers."""

    def __init__(self, writer, calls, files):
        self.writer = writer
        self.calls = calls
        self.chunks = _chunks(files)
        # Largest first: a long paginated list taken last would leave one
        # core alone at the end.
        self.order = sorted(range(len(self.chunks)),
                            key=lambda index: -sum(len(files[i]) for i in self.chunks[index]))
        self.taken = multiprocessing.get_context("fork").Value("i", 0)

    def render(self) -> None:
        global _under_way
        writer = self.writer
        workers = max(1, (os.cpu_count() or 1) - 1)
        results: dict[int, ChunkResult] = {}
        _under_way = self
        gc.freeze()  # before the fork: see the module's docstring
        try:
            with forked_pool(workers) as pool:
                futures = [pool.submit(_render_in_worker) for _ in range(workers)]
                try:
                    for result in self.render_chunks():
                        results[result.index] = result
                except BaseException:
                    self.stop()
                    raise
                for future in futures:
                    try:
                        results.update((result.index, result) for result in future.result())
                    except Exception:  # a worker that died: its chunks are rendered again below
                        pass
        finally:
            _under_way = None
            gc.unfreeze()
        self.take_back(results)
        for index, chunk in enumerate(self.chunks):
            if not results[index].here:
                for number in chunk:
                    writer.announce(self.calls[number])

    def take_back(self, results: dict[int, ChunkResult]) -> None:
        """Every chunk's record, files and problems, in Pelican's order; a
        chunk that failed or never came back is rendered here."""
        writer = self.writer
        collector = problem_log.active_collector
        for index, chunk in enumerate(self.chunks):
            result = results.get(index)
            if result is None or result.failed:
                result = results[index] = self.render_chunk(index)
            _merge_record(writer.record, result.record)
            writer._written_files.update(result.written)
            if collector is not None:
                collector.problems.extend(problem for problem in result.problems
                                          if problem not in collector.problems)
            for name, level, message in result.log_records:
                logging.getLogger(name).log(level, "%s", message)

    def stop(self) -> None:
        with self.taken.get_lock():
            self.taken.value = len(self.order)

    def next_chunk(self) -> int | None:
        with self.taken.get_lock():
            taken = self.taken.value
            self.taken.value = taken + 1
        return self.order[taken] if taken < len(self.order) else None

    def render_chunks(self, in_worker=False) -> list[ChunkResult]:
        results = []
        while (index := self.next_chunk()) is not None:
            result = self.render_chunk(index, in_worker)
            results.append(result)
            if result.failed:
                self.stop()  # the build fails: the other workers need not go on
        return results

    def render_chunk(self, index: int, in_worker=False) -> ChunkResult:
        """Render one chunk with the writer's record and the problems of
        this process set aside, so that they are this chunk's alone."""
        writer = self.writer
        collector = problem_log.active_collector
        problems_before = len(collector.problems) if collector is not None else 0
        whole_record, writer.record = writer.record, _empty_record(writer.record, in_worker)
        writer.files_written = []
        result = ChunkResult(index, writer.record, writer.files_written, here=not in_worker)
        try:
            for number in self.chunks[index]:
                writer.write_call(self.calls[number])
        except Exception:
            if not in_worker:
                raise  # its problems stay with the build's, as in a serial build
            result.failed = True
        finally:
            writer.record, writer.files_written = whole_record, None
        if collector is not None:
            result.problems = collector.problems[problems_before:]
            del collector.problems[problems_before:]
        return result


def _render_in_worker() -> list[ChunkResult]:
    """A forked worker's task: chunks until none is left."""
    rendering = _under_way
    # The announcements are this process's parent's (see the module's docstring).
    signals.content_written.is_muted = True
    keeper = None
    if problem_log.active_collector is None:  # outside build.site: records go back to be logged
        keeper = _KeepRecords()
        pelican_logger = logging.getLogger("pelican")
        pelican_logger.handlers, pelican_logger.propagate = [keeper], False
    results = rendering.render_chunks(in_worker=True)
    if keeper is not None and results:
        results[-1].log_records = keeper.records
    return results


class _KeepRecords(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def _chunks(files: list[list[str]]) -> list[list[int]]:
    """The calls' indices, cut in order into chunks of about CHUNK_FILES files."""
    chunks, chunk, size = [], [], 0
    for index, paths in enumerate(files):
        chunk.append(index)
        size += len(paths)
        if size >= CHUNK_FILES:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _empty_record(record: dict, in_worker: bool) -> dict:
    # Here, the pages kept go into the build's own set at once: the check
    # step, told of each page as it is written, skips those.
    unchanged = set() if in_worker else record["unchanged"]
    return {**record, "pages": {}, "rendered": [], "kept": [], "same_bytes": [], "unchanged": unchanged}


def _merge_record(record: dict, chunk: dict) -> None:
    record["pages"].update(chunk["pages"])
    for name in ("rendered", "kept", "same_bytes"):
        record[name].extend(chunk[name])
    record["unchanged"].update(chunk["unchanged"])  # in place: the check step holds this set
