"""The browser editor: Decap CMS over the files in content/, for editors who
are not programmers. `make serve` runs it beside the preview server.

    form.py      the form of each kind of file: Vietnamese labels, hints, widgets
    config.py    Decap's configuration, made from the site's settings and the
                 readers' own field lists (nothing to keep in sync by hand)
    status.py    the last preview build's problems, in Vietnamese, for the
                 banner that every preview page and the editor show
    guard.py     what the editor's backend may touch: content/ only, Markdown,
                 YAML and photos only
    backend.py   the editor's server on 127.0.0.1: the editor's own files and
                 the guarded local backend (decap-server, on a private socket)
    preview_pages.py  the preview server's part: the banner on every page,
                 /admin/ leading to the editor
    static/      the editor's page and scripts, served by the editor's server
                 and never part of a build

Nothing here is used by a build: `make build` and `make publish` never see
the editor, its configuration or the banner.
"""
