"""`invoke import SOURCE`: the old portal's articles, photos and files into
content/, and its addresses into the redirects table.

Nothing is written until every old category has a new one (the mapping);
then each article is written whole or not at all. A second run fetches no
file it has, rewrites no article an editor has changed since (the manifest
holds the digest of what the import wrote), and refreshes an article the
old site changed only with --overwrite. Each imported article goes through
the build's own checks (read.header, the Markdown converter and sanitiser,
alt texts, {static} links); the report lists the ones that fail them.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pelican.urlwrappers import Category
from pelican.utils import slugify
from unidecode import unidecode

from ..core.problems import ContentError, display_path
from ..core.settings import load_settings
from ..read.header import check_header, read_header
from ..read.links import check_images_have_alt, check_linked_files_exist
from ..read.reader import PortalMarkdownReader
from . import downloads
from .body import body_markdown, plain_text, tidy_text
from .downloads import DownloadFailed
from .manifest import Manifest
from .mapping import Mapping, MappingError, read_mapping, write_mapping
from .profiles import (NotAnArticle, OldArticle, ProfileError, UnreadablePage, address_match,
                       is_document_link, load_profiles, read_article_page)
from .redirects import OldAddress, RedirectTableError, merge_into_table, table_path, write_atomically
from .sources import SourceError, open_source, same_site
from .sql_dump import DumpError, NukeVietDump

STATE_FOLDER = "old-site"
ATTACHMENTS_LABEL = "Tệp đính kèm"
# NukeViet answers an article at each of these prefixes, with and without "news/".
NUKEVIET_PREFIXES = ("", "/vi", "/index.php", "/index.php/vi")


class ImportStopped(Exception):
    """The import cannot go on: one line saying why and what to do."""


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed or deleted by an editor
    outdated: list[str] = field(default_factory=list)  # the old site changed; --overwrite refreshes
    not_ours: list[str] = field(default_factory=list)
    not_articles: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    failing_checks: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    files_already_here: int = 0
    redirects_added: int = 0
    requests: int = 0

    def text(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f"{verb} from {self.source}: {len(self.added)} added, {len(self.updated)} updated, "
                 f"{len(self.unchanged)} unchanged, {len(self.kept)} kept as an editor left them, "
                 f"{len(self.unreadable)} could not be read; {len(self.downloaded)} files "
                 f"{'to download' if self.dry_run else 'downloaded'} ({self.files_already_here} already here), "
                 f"{self.redirects_added} old addresses {'to add' if self.dry_run else 'added'} to the redirects table"]
        for title, items in (("Added", self.added), ("Updated", self.updated),
                             ("Kept (changed or deleted by an editor; delete the file to import it again)", self.kept),
                             ("Changed on the old site since the last import (run with --overwrite to refresh)",
                              self.outdated),
                             ("Not replaced (a file the import did not write is there)", self.not_ours)):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        if self.unreadable:
            lines.append("Could not read (skipped):")
            lines += [f"  {address}: {reason}" for address, reason in self.unreadable]
        if self.failing_checks:
            lines.append("Do not pass the build's checks yet; fix these before `make build`:")
            lines += [f"  {problem}" for problem in self.failing_checks]
        return "\n".join(lines)


def user_agent(settings) -> str:
    return f"PortalImport/1.0 (+{unidecode(settings['SITENAME'])}; one request at a time)"


def import_site(source_spec: str, settings_file: str = "pelicanconf.py", dry_run: bool = False,
                overwrite: bool = False, files: str | None = None, delay: float = 1.0,
                state_folder: str = STATE_FOLDER) -> ImportReport:
    """Import `source_spec`; ImportStopped for what stops the whole import."""
    settings = load_settings(settings_file)
    state = Path(state_folder)
    try:
        profiles = load_profiles(state / "profiles.yaml")
        mapping = read_mapping(state / "mapping.yaml", settings["PORTAL_CATEGORIES"])
        source = _open(source_spec, files, settings, state, delay, profiles, dry_run)
    except (ProfileError, MappingError, SourceError, DumpError) as error:
        raise ImportStopped(str(error)) from None
    report = ImportReport(source_spec, dry_run)
    try:
        articles = _read_articles(source, profiles, report)
    except SourceError as error:
        raise ImportStopped(f"{error}; run the import again to resume (what was fetched is kept)") from None
    report.requests = getattr(source, "requests", 0)
    _check_mapping(articles, mapping, state / "mapping.yaml", settings["PORTAL_CATEGORIES"], dry_run)
    try:
        run = _ImportRun(settings, source, profiles, mapping, Manifest.load(state / "manifest.json"),
                         report, dry_run, overwrite)
        run.write_all(articles)
    except RedirectTableError as error:
        raise ImportStopped(str(error.problems[0])) from None
    report.requests = getattr(source, "requests", 0)
    return report


def _open(spec, files, settings, state, delay, profiles, dry_run):
    if spec.endswith((".sql", ".sql.gz")):
        return NukeVietDump(Path(spec), Path(files) if files else None, settings)
    return open_source(spec, state / "cache", user_agent(settings), delay, profiles, dry_run)


def _read_articles(source, profiles, report) -> dict[str, OldArticle]:
    """Every article of the source by key, each read once; pages that are
    not articles counted, pages that fail listed with the reason."""
    found: dict[str, OldArticle] = {}
    if isinstance(source, NukeVietDump):
        items = source.articles()
    else:
        items = _articles_of_pages(source, profiles, report)
    for article in items:
        if article.key in found:
            known = found[article.key]
            known.addresses += [a for a in article.addresses if a not in known.addresses]
        else:
            found[article.key] = article
    return found


def _articles_of_pages(source, profiles, report):
    for page in source.pages():
        if page.status != 200:
            report.unreadable.append((page.url, f"the old site answered HTTP {page.status}"))
            continue
        try:
            yield read_article_page(page.url, page.body, profiles)
        except NotAnArticle:
            report.not_articles += 1
        except UnreadablePage as error:
            report.unreadable.append((page.url, str(error)))
        except Exception as error:  # one bad page never stops the import
            report.unreadable.append((page.url, " ".join(f"{type(error).__name__}: {error}".split())))


def _check_mapping(articles, mapping: Mapping, path: Path, allowed, dry_run) -> None:
    counts: dict[str, list] = {}
    for article in articles.values():
        counts.setdefault(article.category, []).append(article)
    notes = {old: f'"{group[0].category_title}" ({group[0].platform}), {len(group)} bài'
             for old, group in counts.items()}
    missing = sorted(old for old in counts if not mapping.categories.get(old))
    if not dry_run and (missing or set(counts) - set(mapping.categories)):
        write_mapping(path, mapping, notes, allowed)
    if missing:
        shown = ", ".join(missing[:6]) + (", ..." if len(missing) > 6 else "")
        raise ImportStopped(
            f"{display_path(path)}: {len(missing)} old categor{'y has' if len(missing) == 1 else 'ies have'} "
            f"no new category yet ({shown}); write one of: {', '.join(allowed)} after each, "
            "then run the import again")


class _ImportRun:
    def __init__(self, settings, source, profiles, mapping, manifest, report, dry_run, overwrite):
        self.settings = settings
        self.content = Path(settings["PATH"])
        self.source = source
        self.profiles = profiles
        self.mapping = mapping
        self.manifest = manifest
        self.report = report
        self.dry_run = dry_run
        self.overwrite = overwrite
        # the reader completes the Markdown settings as a build does (meta extension)
        self.converter = PortalMarkdownReader(settings).converter
        self.uploads = [profile["uploads"] for profile in profiles.values()]
        self.taken = self._slugs_in_content()
        self.redirects: list[tuple[str, str]] = []
        self.by_address: dict[str, str] = {}

    # --- the whole run -------------------------------------------------------------

    def write_all(self, articles: dict[str, OldArticle]) -> None:
        ordered = sorted(articles.values(), key=lambda a: (a.platform, int(a.old_id) if a.old_id.isdigit() else 0,
                                                            a.old_id))
        planned = {article.key: self._plan(article) for article in ordered}
        planned = {key: plan for key, plan in planned.items() if plan}
        for article in ordered:
            if article.key in planned:
                for address in article.addresses:
                    self.by_address[_address_key(address)] = planned[article.key]["file"]
        self.planned = planned
        self.to_check: list[tuple[str, Path]] = []
        for article in ordered:
            if article.key in planned:
                self._write_article(article, planned[article.key])
        for text, target in self.to_check:  # all written first: articles link to each other
            self._check(text, target, display_path(target), self.report.failing_checks)
        table = table_path(self.settings)
        if self.dry_run:
            from .redirects import read_table
            known = {row.old for row in read_table(table)}
            self.report.redirects_added = len({OldAddress.parse(old) for old, _ in self.redirects} - known)
            return
        self.report.redirects_added = len(merge_into_table(table, self.redirects))
        self.manifest.save()

    def _slugs_in_content(self) -> dict[str, str]:
        """Slugs of the articles already in content/ that the import did not write."""
        ours = {entry["file"] for entry in self.manifest.articles.values()}
        taken = {}
        for path in self.content.rglob("*.md"):
            relative = path.relative_to(self.content).as_posix()
            if relative in ours:
                continue
            header = read_header(path.read_text(encoding="utf-8-sig", errors="replace"))
            slug = header.get("slug", (0, ""))[1] or slugify(
                header.get("title", (0, path.stem))[1], regex_subs=self.settings["SLUG_REGEX_SUBSTITUTIONS"])
            taken[slug] = relative
        for key, entry in self.manifest.articles.items():
            taken[entry["slug"]] = entry["file"]
        return taken

    def _plan(self, article: OldArticle) -> dict | None:
        """Where the article goes: its file (relative to content/), slug and category."""
        entry = self.manifest.articles.get(article.key)
        category = self.mapping.categories[article.category]
        author = article.author or article.source or self.mapping.default_author
        if not author:
            self.report.unreadable.append((article.address, "names no author (Tác giả) or source (Nguồn tin); "
                                           "set default_author in old-site/mapping.yaml to import it"))
            return None
        if entry:
            return {"file": entry["file"], "slug": entry["slug"], "category": category, "author": author}
        alias = slugify(article.alias or article.title, regex_subs=self.settings["SLUG_REGEX_SUBSTITUTIONS"])
        alias = alias or f"bai-{article.old_id}"
        slug = alias if alias not in self.taken else f"{alias}-{article.old_id}"
        self.taken[slug] = article.key
        folder = Category(category, self.settings).slug
        name = alias if alias.endswith(f"-{article.old_id}") or alias == article.old_id else f"{alias}-{article.old_id}"
        return {"file": f"{folder}/{name}.md", "slug": slug, "category": category, "author": author}

    # --- one article ---------------------------------------------------------------------

    def _write_article(self, article: OldArticle, plan: dict) -> None:
        relative = plan["file"]
        target = self.content / relative
        shown = display_path(target)
        problems: list[str] = []
        text = self._markdown(article, plan, problems)
        new_digest = downloads.digest(text.encode("utf-8"))
        entry = self.manifest.articles.get(article.key)
        write = False
        if target.exists():
            current = downloads.digest(target.read_bytes())
            if entry is None:
                self.report.not_ours.append(shown)
            elif current != entry["sha256"]:
                self.report.kept.append(shown)
            elif current == new_digest:
                self.report.unchanged.append(shown)
            elif self.overwrite:
                write = True
                self.report.updated.append(shown)
            else:
                self.report.outdated.append(shown)
        elif entry is not None and not self.overwrite:
            self.report.kept.append(f"{shown} (deleted)")
        else:
            write = True
            self.report.added.append(shown)
        if write:
            self.report.failing_checks += problems
            self.to_check.append((text, target))
            if not self.dry_run:
                write_atomically(target, text)
                self.manifest.articles[article.key] = {
                    "file": relative, "sha256": new_digest, "slug": plan["slug"],
                    "title": article.title, "addresses": article.addresses}
        if entry is None and not write:
            return  # not ours: no redirect to a file the import did not write
        for address in self._old_addresses(article):
            self.redirects.append((address, "{filename}/" + relative))

    def _markdown(self, article: OldArticle, plan: dict, problems: list[str]) -> str:
        def rewrite(url, kind):
            return self._rewrite(url, kind, article, problems)

        body = body_markdown(article.body_html, rewrite) if article.body_html.strip() else ""
        attachments = []
        for old_file in article.attachments:
            is_image = downloads.looks_like_image(old_file.title or old_file.url)
            stored = self._file(_where_read(old_file.url, article), old_file.title, is_image, article, problems)
            if stored:
                name = old_file.title or Path(stored).name
                attachments.append(f"- [{_escape_brackets(name)}]({{static}}/{stored})")
                for address in old_file.addresses:
                    self.redirects.append((_path_and_query(address), "{static}/" + stored))
        if attachments:
            body = body.rstrip("\n") + f"\n\n**{ATTACHMENTS_LABEL}:**\n\n" + "\n".join(attachments) + "\n"
        fields = [("Title", plain_text(article.title)), ("Date", _date_text(article.date)),
                  ("Author", plain_text(plan["author"])), ("Category", plan["category"])]
        if article.tags:
            fields.append(("Tags", ", ".join(plain_text(tag).replace(",", " ") for tag in article.tags)))
        if article.summary.strip():
            fields.append(("Summary", plain_text(article.summary)))
        fields.append(("Slug", plan["slug"]))
        if article.lead_image is not None:
            stored = self._file(_where_read(article.lead_image.url, article), "", True, article, problems)
            if stored:
                fields.append(("Image", stored))
                caption = plain_text(article.lead_caption or "")
                if caption:
                    fields.append(("ImageCaption", caption))
        fields.append(("OldUrl", " ".join(article.addresses)))
        fields.append(("OldId", article.key))
        header = "".join(f"{name}: {value}\n" for name, value in fields if value)
        return tidy_text(header + "\n" + (body or plain_text(article.summary) or plain_text(article.title)))

    def _check(self, text: str, target: Path, shown: str, problems: list[str]) -> None:
        """The build's own checks of one article file, before it is written."""
        try:
            header = read_header(text)
            check_header(header, shown, "article", self.settings)
            prepared = self.converter.prepare(text)
            check_images_have_alt(prepared.content, text, shown)
            if not self.dry_run:
                check_linked_files_exist(prepared.content, text, str(target), shown, str(self.content))
        except ContentError as error:
            problems.append(str(error.problem))

    # --- links, photos and files ----------------------------------------------------------

    def _rewrite(self, url: str, kind: str, article: OldArticle, problems: list[str]) -> str:
        absolute = _where_read(urljoin(article.address, url.strip()), article)
        if not absolute.startswith(("http://", "https://")):
            return url  # mailto:, tel:, #anchor
        on_old_site = same_site(absolute, article.addresses[0])
        if kind == "img":
            if not on_old_site:
                return absolute
            stored = self._file(absolute, "", True, article, problems)
            return "{static}/" + stored if stored else absolute
        if not on_old_site:
            return absolute
        target = self.by_address.get(_address_key(absolute)) or self._article_by_id(absolute)
        if target:
            return "{filename}/" + target
        if is_document_link(absolute, *self.uploads[:1]) or downloads.looks_like_image(absolute):
            stored = self._file(absolute, "", downloads.looks_like_image(absolute), article, problems)
            if stored:
                return "{static}/" + stored
        return absolute

    def _article_by_id(self, url: str) -> str | None:
        for platform, profile in self.profiles.items():
            found = address_match(profile, url)
            if found and found.groupdict().get("id"):
                plan = self.planned.get(f"{platform}:{found.group('id')}")
                if plan:
                    return plan["file"]
        return None

    def _file(self, url: str, title: str, is_image: bool, article: OldArticle, problems) -> str | None:
        """The file's path under content/, fetched once; None when it cannot be had."""
        entry = self.manifest.files.get(url)
        if entry and (self.content / entry["file"]).is_file():
            self.report.files_already_here += 1
            return entry["file"]
        relative = downloads.local_path(url, title, self.uploads, is_image)
        if self.dry_run:
            self.report.downloaded.append(relative)
            return relative
        data = self.source.fetch(url, article.address)
        try:
            if data is None:
                raise DownloadFailed("not found on the old site")
            downloads.check_downloaded(data, is_image)
        except DownloadFailed as error:
            self.report.unreadable.append((url, f"{error} (in {article.address})"))
            return None
        relative = self._free_file_name(relative, data)
        target = self.content / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            partial.write_bytes(data)
            partial.replace(target)
            self.report.downloaded.append(relative)
        else:
            self.report.files_already_here += 1
        self.manifest.files[url] = {"file": relative, "sha256": downloads.digest(data)}
        if same_site(url, article.addresses[0]):
            self.redirects.append((_path_and_query(url), "{static}/" + relative))
        return relative

    def _free_file_name(self, relative: str, data: bytes) -> str:
        """The same name with -2, -3... when another file already holds it."""
        candidate, number = relative, 1
        while (self.content / candidate).is_file():
            if downloads.digest((self.content / candidate).read_bytes()) == downloads.digest(data):
                return candidate
            number += 1
            stem, dot, suffix = relative.rpartition(".")
            candidate = f"{stem}-{number}.{suffix}" if dot else f"{relative}-{number}"
        return candidate

    # --- old addresses -----------------------------------------------------------------------

    def _old_addresses(self, article: OldArticle) -> list[str]:
        addresses = [_path_and_query(address, article.platform) for address in article.addresses]
        if article.platform == "nukeviet":
            for address in article.addresses:
                found = address_match(self.profiles["nukeviet"], address)
                if not found or not found.group("category"):
                    continue
                tail = f"{found.group('category')}/{found.group('alias')}-{found.group('id')}"
                for prefix in NUKEVIET_PREFIXES:
                    addresses += [f"{prefix}/news/{tail}.html", f"{prefix}/{tail}.html"]
                for path in ("/index.php", "/"):
                    addresses += [f"{path}?nv=news&op={tail}", f"{path}?nv=news&op={tail}.html"]
                break
        if article.platform == "mojoportal" and article.old_id.isdigit():
            addresses.append(f"/Blog/ViewPost.aspx?ItemID={article.old_id}")
        return list(dict.fromkeys(addresses))


# Query parameters that pick an old page; the others (pageid, mid, language) vary.
IDENTIFYING_PARAMS = {"nukeviet": {"nv", "op", "download", "id"}, "mojoportal": {"itemid"}}


def _path_and_query(url: str, platform: str = "") -> str:
    parts = urlsplit(url)
    old = OldAddress.parse(parts.path + (f"?{parts.query}" if parts.query else ""))
    wanted = IDENTIFYING_PARAMS.get(platform)
    params = tuple(p for p in old.params if wanted is None or p[0] in wanted) if old.params else ()
    return str(OldAddress(old.path, params))


def _where_read(url: str, article: OldArticle) -> str:
    """`url` on the host the article was read from: a page's canonical
    address may name the site otherwise (www., https:, its public name
    while a copy is read)."""
    read, canonical, parts = urlsplit(article.addresses[0]), urlsplit(article.address), urlsplit(url)
    if parts.netloc and parts.netloc.lower() == canonical.netloc.lower() and read.netloc != canonical.netloc:
        return parts._replace(scheme=read.scheme, netloc=read.netloc).geturl()
    return url


def _address_key(url: str) -> str:
    parts = urlsplit(url)
    return str(OldAddress.parse(parts.path + (f"?{parts.query}" if parts.query else "")))


def _date_text(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d %H:%M")


def _escape_brackets(text: str) -> str:
    return re.sub(r"([\[\]])", r"\\\1", text)


class ImportFailed(Exception):
    """What the task shows, ending with exit code 1."""


def run_import(source_spec: str, **options) -> str:
    """The import as `invoke import` runs it: its report, or ImportFailed
    (one line when it stopped; the report when articles fail the checks)."""
    try:
        report = import_site(source_spec, **options)
    except ImportStopped as stop:
        raise ImportFailed(f"{stop}\nimport stopped: nothing was written.") from None
    if report.failing_checks:
        raise ImportFailed(report.text())
    return report.text()
