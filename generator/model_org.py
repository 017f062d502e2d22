"""The organisation in the model: departments, roles, the roster's people and the company
(generator.model re-exports them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Department:
    """A department (部门)."""

    id: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class Role:
    """A role (岗位) with duties and authorities."""

    id: str
    name: str
    department: str | None
    reports_to: str | None
    aliases: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """An employee of the roster; department and role are ids from org.yaml."""

    id: str
    name: str
    department: str
    role: str | None = None
    joined: dt.date | None = None


@dataclass(frozen=True)
class Fonts:
    """Default East Asian fonts."""

    title: str
    heading: str
    body: str
    body_fallback: str


@dataclass(frozen=True)
class Company:
    """The issuing company."""

    name: str
    short_name: str
    number_prefix: str
    fonts: Fonts
    address: str | None = None
    phone: str | None = None
    legal_representative: str | None = None
    bank: str | None = None
    account: str | None = None
    tax_id: str | None = None
    issuer_mark: str | None = None
    notice_recipients: str | None = None
