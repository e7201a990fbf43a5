"""The organisation feature's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from ..core.problems import report_problem
from .data import Organisation, OrganisationError, load_organisation, organisation_file


def read_organisation(pelican):
    """Pelican's initialized signal: the organisation file, read once, for
    every page's footer and the "Cơ cấu tổ chức" and "Liên hệ" pages
    (DIRECT_TEMPLATES "organisation" and "contact")."""
    settings = pelican.settings
    try:
        organisation = load_organisation(settings)
    except OrganisationError as failure:
        for error in failure.errors:
            report_problem(error, str(organisation_file(settings)))
        organisation = Organisation()  # the build fails; the pages still render
    settings["ORGANISATION"] = organisation


def register():
    signals.initialized.connect(read_organisation)
