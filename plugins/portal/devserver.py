"""The preview server: serves output/ on 127.0.0.1 and rebuilds on change.

A rebuild goes through the same build as `invoke build`; when it fails, the
problems are printed and the last good site stays on screen.
"""

from livereload import Server

from .build import build_site, load_settings
from .problems import BuildFailed

WATCHED = [
    "pelicanconf.py",
    "{content}/**/*",
    "{theme}/templates/**/*.html",
    "{theme}/static/**/*",
    "plugins/portal/*.py",
]


def rebuild(settings_file="pelicanconf.py") -> bool:
    try:
        build_site(
            settings_file, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True,
            # livereload injects an inline script, which the policy would block
            CONTENT_SECURITY_POLICY="",
        )
    except BuildFailed as failure:
        print(failure.report(), flush=True)
        return False
    print("Rebuilt and checked output/", flush=True)
    return True


def serve(host="127.0.0.1", port=8000, settings_file="pelicanconf.py") -> None:
    settings = load_settings(settings_file)
    rebuild(settings_file)
    server = Server()
    for pattern in WATCHED:
        server.watch(
            pattern.format(content=settings["PATH"], theme=settings["THEME"]),
            lambda: rebuild(settings_file),
        )
    server.serve(host=host, port=port, root=settings["OUTPUT_PATH"], open_url_delay=None)
