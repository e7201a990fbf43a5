"""What a cache's answers depend on besides its input: our own code as this
process loaded it, and the libraries installed.

A cache kept between runs (check.check_and_fill.CheckedPages, the preview's
content cache in build.content_cache) is trusted only by the code that made
it. The code that counts is the code running, not the files on disk: the
preview server keeps running what it imported after a file changes. So each
digest is taken while the module that needs it is imported, right after the
modules it covers were read, and kept as a constant.
"""

import hashlib
import inspect
import os
import sys
from pathlib import Path
from types import ModuleType


def _module_of(value) -> str | None:
    if inspect.ismodule(value):
        return value.__name__
    return getattr(value, "__module__", None) or getattr(type(value), "__module__", None)


def modules_deciding(module: ModuleType) -> list[ModuleType]:
    """`module` and every module of our package it uses, directly or through
    another one (a check that reads the slots' markers uses render.slots)."""
    package = module.__name__.split(".")[0] + "."
    found: dict[str, ModuleType] = {}
    waiting = [module]
    while waiting:
        current = waiting.pop()
        if current.__name__ in found:
            continue
        found[current.__name__] = current
        for value in vars(current).values():
            name = _module_of(value)
            if isinstance(name, str) and name.startswith(package) and name in sys.modules:
                waiting.append(sys.modules[name])
    return [found[name] for name in sorted(found)]


def source_digest(modules: list[ModuleType]) -> str:
    """A digest of these modules' source files as they are now: call it
    while they are being imported, so that it is the source they run."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.__name__.encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def libraries_digest() -> str:
    """Python and every installed distribution with its version, as the
    names of their metadata folders on sys.path (NAME-VERSION.dist-info,
    where importlib.metadata finds them): read from the folders' listings,
    not from each distribution's METADATA file (0.1 s, every build)."""
    found = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as names:
                found += [name.name for name in names if name.name.endswith((".dist-info", ".egg-info"))]
        except NotADirectoryError:  # a zip of modules: as it is now
            stat = os.stat(entry)
            found.append(f"{entry}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            continue  # not there: nothing installed in it
    return hashlib.sha256("\n".join([sys.version, *sorted(found)]).encode()).hexdigest()
