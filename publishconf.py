"""Settings for publishing: everything in pelicanconf.py, plus what a
public site needs (its real address, feeds) and where to deploy it."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

# The portal's public address. Replace the default with the real one, or set
# PORTAL_SITEURL in the environment of the machine that publishes.
SITEURL = os.environ.get("PORTAL_SITEURL", "https://dangbo.dakrong.example.vn")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/tat-ca.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"

# Where `invoke publish` deploys a checked build: "dir:PATH" (local folder),
# "rsync:USER@HOST:PATH" (SSH) or "gh-pages:BRANCH" (GitHub Pages).
PUBLISH_TARGET = os.environ.get("PORTAL_PUBLISH_TARGET", "dir:public")

# sitemap.xml for search engines: only meaningful with the real address;
# robots.txt names it (portal.build.robots). The 404 page is no page to index.
PLUGINS = PLUGINS + ["pelican.plugins.sitemap", "portal.build.robots"]  # noqa: F405
SITEMAP = {
    "format": "xml",
    "exclude": [r"^404\.html$"],
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}

# Theme files get content-hashed names and a year-long cache lifetime
# (_headers); text files get .gz and .br copies for hosts that serve them.
ASSET_FINGERPRINTS = True
PRECOMPRESS = True
# What each kind of host needs (build/hosting.py): nginx and Apache
# configuration, Netlify/Cloudflare _headers and _redirects, stub pages at
# the old portal's addresses. README.md, "Đưa lên mạng".
HOSTING_FILES = True
