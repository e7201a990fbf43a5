"""Moving an old portal in: `invoke import SOURCE` reads a NukeViet or
mojoPortal site (a saved copy, its live address, a WARC or a NukeViet
database backup) and writes one Markdown article per old article, its
photos and files, and the table of old addresses the build turns into
redirects for each kind of host.

    sources.py      where old pages come from: a folder, the live site, a WARC
    sql_dump.py     a NukeViet database backup (.sql / .sql.gz) and its uploads/
    profiles.py     telling NukeViet and mojoPortal pages apart and reading them
    body.py         an old body (Word leftovers and all) as clean Markdown
    downloads.py    photos and attached files, fetched once into content/
    mapping.py      old categories -> PORTAL_CATEGORIES, a file the officer completes
    manifest.py     what the import wrote, so that a second run keeps editors' changes
    redirects.py    the redirects table (content/redirects.csv): old address -> new page
    importer.py     the import itself, and its report

The state of an import lives in old-site/ (the mapping, the manifest and a
cache of what was fetched), the articles in content/.
"""
