"""The organisation file (ORGANISATION_FILE, content/to-chuc.yaml): the
contact details and the units with their leaders.

Nothing in it is required but the names of units and people and their
positions: what is left empty is shown as still to be filled in ("Chưa cập
nhật"), never made up. Values are read as plain text (yaml.BaseLoader), so a
phone number keeps its leading 0; every mistake is one line naming the line.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.problems import ContentError, display_path, shortened
from ..core.vietnamese import to_nfc
from ..read.content_files import LINK_OUT_OF_CONTENT, leads_out_of

CONTACT_FIELDS = ("address", "phone", "email", "hours", "map")
UNIT_FIELDS = ("name", "about", "phone", "email", "people")
PERSON_FIELDS = ("name", "position", "phone", "email")
# What a reader sees for each contact detail, in this order.
CONTACT_LABELS = {"address": "Địa chỉ", "phone": "Điện thoại", "email": "Thư điện tử",
                  "hours": "Giờ làm việc"}
_PHONE = re.compile(r"^\+?[0-9][0-9 .()-]{6,}[0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class OrganisationError(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class _Reachable:
    @property
    def phone_href(self) -> str:
        return phone_link(self.phone)


@dataclass(frozen=True)
class Person(_Reachable):
    name: str
    position: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Unit(_Reachable):
    name: str
    about: str = ""
    phone: str = ""
    email: str = ""
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Organisation:
    address: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""
    map: str = ""  # an https address of a map, shown as a plain link
    units: tuple[Unit, ...] = ()

    def contact_lines(self, keys=tuple(CONTACT_LABELS)) -> list[tuple[str, str, str]]:
        """[(label, value or "", link or "")] of `keys`, for the contact page and the footer."""
        links = {"phone": phone_link(self.phone), "email": f"mailto:{self.email}" if self.email else ""}
        return [(CONTACT_LABELS[key], getattr(self, key), links.get(key, "")) for key in keys]

    @property
    def complete(self) -> bool:
        """Whether nothing is left to fill in."""
        contact = all(getattr(self, key) for key in CONTACT_LABELS) and self.map
        return bool(contact and self.units and all(unit.people for unit in self.units))


def phone_link(phone: str) -> str:
    """'0233 3 123 456' -> 'tel:02333123456' (a phone dials it on a tap)."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"tel:{digits}" if digits else ""


def organisation_file(settings) -> Path:
    return Path(settings["PATH"]) / settings.get("ORGANISATION_FILE", "to-chuc.yaml")


def load_organisation(settings) -> Organisation:
    """The organisation file, checked; an empty Organisation when there is
    none (every detail "Chưa cập nhật"); OrganisationError listing every mistake."""
    path = organisation_file(settings)
    if not path.exists():
        return Organisation()
    shown = display_path(path)
    if leads_out_of(path, settings["PATH"]):
        raise OrganisationError([ContentError(shown, LINK_OUT_OF_CONTENT)])
    try:
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise OrganisationError([ContentError(shown, "the file is not UTF-8 text; save it again "
                                              "with the encoding UTF-8")]) from None
    text, _ = to_nfc(text)
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise OrganisationError([ContentError(shown, f"{reason}; check the indentation, and put "
                                              'text that contains ": " in double quotes',
                                              mark.line + 1 if mark else None)]) from None
    return _Reader(shown).organisation(root)


class _Reader:
    """Walks the YAML nodes (they know their lines), collecting every problem."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[ContentError] = []

    def problem(self, node, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(ContentError(self.shown, message, line))

    def organisation(self, root) -> Organisation:
        if root is None:
            return Organisation()
        fields = self.mapping(root, ("contact", "units"), "the file")
        contact = self.mapping(fields.get("contact"), CONTACT_FIELDS, "contact") if "contact" in fields else {}
        values = {key: self.text(contact.get(key), f"contact: {key}") for key in CONTACT_FIELDS}
        self.check_contact(values, contact, "contact")
        if values["map"] and not values["map"].startswith("https://"):
            self.problem(contact["map"], f'contact: map "{shortened(values["map"])}" must be an '
                         "address starting with https:// (it is shown as a link, never embedded)")
        units = tuple(self.unit(node) for node in self.sequence(fields.get("units"), "units"))
        if self.problems:
            raise OrganisationError(self.problems)
        return Organisation(**values, units=tuple(u for u in units if u))

    def unit(self, node) -> Unit | None:
        fields = self.mapping(node, UNIT_FIELDS, "a unit")
        name = self.text(fields.get("name"), "a unit's name")
        if not name:
            self.problem(node, "a unit has no name; write it after 'name:'")
        values = {key: self.text(fields.get(key), f"{key} of {name}") for key in ("about", "phone", "email")}
        self.check_contact(values, fields, name)
        people = tuple(self.person(p, name) for p in self.sequence(fields.get("people"), f"people of {name}"))
        return Unit(name=name, **values, people=tuple(p for p in people if p)) if name else None

    def person(self, node, unit: str) -> Person | None:
        fields = self.mapping(node, PERSON_FIELDS, f"a person of {unit}")
        name = self.text(fields.get("name"), "a person's name")
        position = self.text(fields.get("position"), f"position of {name}")
        if not name or not position:
            self.problem(node, f"a person of {unit} needs both 'name:' and 'position:' "
                         "(e.g. position: Bí thư Huyện ủy)")
            return None
        values = {key: self.text(fields.get(key), f"{key} of {name}") for key in ("phone", "email")}
        self.check_contact(values, fields, name)
        return Person(name=name, position=position, **values)

    def check_contact(self, values: dict, nodes: dict, whose: str) -> None:
        if values.get("phone") and not _PHONE.match(values["phone"]):
            self.problem(nodes["phone"], f'phone of {whose} "{shortened(values["phone"])}" is not '
                         "a phone number; write digits, e.g. 0233 3 123 456 (or leave it empty)")
        if values.get("email") and not _EMAIL.match(values["email"]):
            self.problem(nodes["email"], f'email of {whose} "{shortened(values["email"])}" is not '
                         "an email address (or leave it empty)")

    def mapping(self, node, allowed: tuple[str, ...], what: str) -> dict:
        if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a list of fields ('name: ...' lines)")
            return {}
        fields = {}
        for key, value in node.value:
            if key.value not in allowed:
                self.problem(key, f'unknown field "{shortened(key.value)}" in {what}; the fields '
                             f"are: {', '.join(allowed)}")
            elif key.value in fields:
                self.problem(key, f'"{key.value}" is given twice in {what}; keep one')
            else:
                fields[key.value] = value
        return fields

    def sequence(self, node, what: str) -> list:
        if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f'{what} must be a list, one item starting with "- " a line')
            return []
        return node.value

    def text(self, node, what: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be one line of text")
            return ""
        return " ".join(node.value.split())
