"""Findings: what the loader and the validator report about a file.

A finding is data (file, line, column, JSON pointer, rule, message, hint,
severity); `report.py` decides how to show it. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, located as precisely as the source allows."""

    path: str
    line: int
    column: int
    rule: str = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)
    pointer: str = field(default="", compare=False)
    severity: str = field(default="error", compare=False)

    @property
    def field(self) -> str:
        """The field named the way a contributor writes it: `organisations[0].role`."""
        return pointer_to_field(self.pointer)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["field"] = self.field
        return data

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class CasehubError(Exception):
    """Base class for every error Casehub raises on purpose."""


class FindingsError(CasehubError):
    """Raised when content has findings that stop the work (a load or a build)."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


def pointer_to_field(pointer: str) -> str:
    """Turn `/organisations/0/role` into `organisations[0].role`."""
    if pointer in ("", "/"):
        return "(front matter)"
    if pointer.startswith("#"):
        return pointer[1:]
    text = ""
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        text += f"[{token}]" if token.isdigit() else (f".{token}" if text else token)
    return text


def join_pointer(pointer: str, token: str | int) -> str:
    token = str(token).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{token}"
