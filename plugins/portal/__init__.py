"""The Đakrông portal's own Pelican code. Pelican loads it through
PLUGINS = ["portal"] and calls register().

The subpackages, in pipeline order (a module imports only from the ones
before it, or from its own subpackage; tests/test_architecture.py checks):

    core/         settings, problems, worker processes, Vietnamese text
    read/         reading editors' files: decoding, header, Markdown, sanitiser, links
    render/       what templates get: listings, filters, assets, CSP, marked slots
    check/        checking every built page and filling its slots
    polls/  search/  visit_stats/  images/  documents/  organisation/  editor/
                  one subpackage per feature (the browser editor runs beside
                  the preview server and has no signal handlers)
    build/        build, swap into place, deploy, the preview server
    quality/      the quality gate: independent tools over a built site

Each stage and feature with Pelican signal handlers has a `plugin` module
ending in register().
"""


def register():
    # Imported here, not at the top: a tool or test that needs one module
    # (portal.core.problems, say) should not load the whole pipeline.
    from .build import plugin as build_plugin
    from .check import plugin as check_plugin
    from .documents import plugin as documents_plugin
    from .images import plugin as images_plugin
    from .organisation import plugin as organisation_plugin
    from .polls import plugin as polls_plugin
    from .read import plugin as read_plugin
    from .render import plugin as render_plugin
    from .search import plugin as search_plugin

    for part in (read_plugin, render_plugin, images_plugin, polls_plugin, search_plugin,
                 documents_plugin, organisation_plugin, check_plugin, build_plugin):
        part.register()
