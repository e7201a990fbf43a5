"""Photos in articles: every photo an editor adds is published light,
upright, private and captioned, and lists and shares show the lead photo.

    photos      what a source photo is: found, identified, planned (names, sizes)
    processing  decoding, orientation, sRGB, resizing, encoding without metadata
    pipeline    a build's photos: processed on every core, cached, put in output/
    markup      body <img> → <figure>/<picture>, galleries, the lead photo
    sharing     Open Graph and JSON-LD (NewsArticle, BreadcrumbList)
    privacy     what metadata a published image still carries (none, checked)
    plugin      the Pelican signal handlers
"""
