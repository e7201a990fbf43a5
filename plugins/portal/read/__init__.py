"""Reading editors' files: decoding, the metadata header, Markdown and the
sanitiser (in worker processes ahead of Pelican), links and alt text, and the
rules on what gets published (duplicate slugs, hidden means private)."""
